// The linear read-out fitted as the multilayer SoftHebb paper fits its classifier: mini-batch Adam on the
// cross-entropy, with inverted dropout on the (standardised) inputs and the learning rate halved at 20, 35,
// 50, 60, 70, 80 and 90 % of the epochs. Deterministic for any thread count: each sample's forward pass is one
// sequential loop, and each weight's gradient sums the batch's samples in batch order.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "core/random.hpp"
#include "core/vector_clones.hpp"
#include "readout/linear_readout.hpp"

namespace softspike {

namespace {

// Classes are held in one 16-wide vector per feature (at most 16 classes on this path).
constexpr std::size_t kLanes = 16;
using Floats16 = float __attribute__((vector_size(64)));

// Features per task of the gradient-and-update pass: fixed, so the tasks do not depend on the thread count.
constexpr std::size_t kFeatureBlock = 256;

// PyTorch's Adam defaults, which the paper's classifier uses.
constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr float kEpsilon = 1e-8F;

// Fractions of the epochs at which the paper's classifier halves its learning rate.
constexpr double kHalvings[] = {0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9};

// Bits of one dropout draw: the drop probability is resolved to 1/65536.
constexpr std::uint32_t kDrawRange = 65536;

}  // namespace

double adam_epoch_learning_rate(double initial, std::size_t epoch, std::size_t epochs) {
    double rate = initial;
    for (const double fraction : kHalvings) {
        // The milestone epoch rounded down, as the paper's int(fraction * epochs); a milestone at epoch 0 (fewer
        // than five epochs) would halve the rate from the start, so it is skipped.
        const auto milestone = static_cast<std::size_t>(fraction * static_cast<double>(epochs));
        if (milestone > 0 && epoch >= milestone) rate *= 0.5;
    }
    return rate;
}

namespace {

// x[f] = (r[f] - mean[f]) * inv_std[f] * scale where draw[f] >= threshold, else 0.
SOFTSPIKE_VECTOR_CLONES void dropped_row(const float* __restrict r, const float* __restrict mean,
                                         const float* __restrict inv_std, const std::uint16_t* __restrict draw,
                                         std::uint32_t threshold, float scale, std::size_t features,
                                         float* __restrict x) {
    for (std::size_t f = 0; f < features; ++f) {
        const float v = (r[f] - mean[f]) * inv_std[f] * scale;
        x[f] = static_cast<std::uint32_t>(draw[f]) >= threshold ? v : 0.0F;
    }
}

// The logits of one input row under the weights w (features x kLanes) and biases b, into out (kLanes): four
// partial sums over the features taken in turn, added in a fixed order. (Vectors pass through pointers: GCC 12
// fails on a 64-byte vector argument or result of a function with target clones.)
SOFTSPIKE_VECTOR_CLONES void row_logits(const float* __restrict x, const float* __restrict w,
                                        const float* __restrict b, std::size_t features, float* __restrict out) {
    Floats16 z[4] = {};
    std::size_t f = 0;
    for (; f + 4 <= features; f += 4) {
        for (std::size_t k = 0; k < 4; ++k) {
            Floats16 wf;
            std::memcpy(&wf, w + (f + k) * kLanes, sizeof wf);
            z[k] += x[f + k] * wf;
        }
    }
    for (; f < features; ++f) {
        Floats16 wf;
        std::memcpy(&wf, w + f * kLanes, sizeof wf);
        z[0] += x[f] * wf;
    }
    Floats16 bias;
    std::memcpy(&bias, b, sizeof bias);
    const Floats16 sum = bias + ((z[0] + z[1]) + (z[2] + z[3]));
    std::memcpy(out, &sum, sizeof sum);
}

// For features [first, last): the gradient sum_j x[j][f] g[j] (+ l2 w[f]) over the batch's rows in order, then
// Adam's step on w[f] with moments m[f], v[f]. step = lr / (1 - beta1^t), root_correction = sqrt(1 - beta2^t).
SOFTSPIKE_VECTOR_CLONES void update_features(const float* __restrict x, const Floats16* __restrict g,
                                             std::size_t rows, std::size_t features, std::size_t first,
                                             std::size_t last, float l2, float step, float root_correction,
                                             float* __restrict w, float* __restrict m, float* __restrict v) {
    const auto beta1 = static_cast<float>(kBeta1);
    const auto beta2 = static_cast<float>(kBeta2);
    for (std::size_t f = first; f < last; ++f) {
        Floats16 grad = {};
        for (std::size_t j = 0; j < rows; ++j) grad += x[j * features + f] * g[j];
        float* wf = w + f * kLanes;
        float* mf = m + f * kLanes;
        float* vf = v + f * kLanes;
        for (std::size_t c = 0; c < kLanes; ++c) {
            const float gc = grad[c] + l2 * wf[c];
            mf[c] = beta1 * mf[c] + (1.0F - beta1) * gc;
            vf[c] = beta2 * vf[c] + (1.0F - beta2) * gc * gc;
            wf[c] -= step * mf[c] / (std::sqrt(vf[c]) / root_correction + kEpsilon);
        }
    }
}

// The gradient of the mean cross-entropy at logits z for `label`, (p - onehot) * scale, zero past `classes`;
// returns the sample's cross-entropy.
double softmax_gradient16(const Floats16& z, std::size_t classes, std::uint8_t label, float scale, Floats16& g) {
    float max_z = z[0];
    for (std::size_t c = 1; c < classes; ++c) max_z = std::max(max_z, z[c]);
    double sum = 0.0;
    float e[kLanes] = {};
    for (std::size_t c = 0; c < classes; ++c) sum += (e[c] = std::exp(z[c] - max_z));
    const auto inv_sum = static_cast<float>(1.0 / sum);
    g = Floats16{};
    for (std::size_t c = 0; c < classes; ++c) g[c] = (e[c] * inv_sum - (c == label ? 1.0F : 0.0F)) * scale;
    return -std::log(std::max(static_cast<double>(e[label]) / sum, 1e-300));
}

}  // namespace

void LinearReadout::fit_adam(const RateVectors& rates, std::span<const std::size_t> rows,
                             std::span<const std::uint8_t> labels, const LinearReadoutParams& params,
                             std::uint64_t seed) {
    const std::size_t n = labels.size();
    const std::size_t features = features_;
    if (n == 0 || params.epochs == 0) return;
    if (classes_ > kLanes) throw std::invalid_argument("LinearReadout: the Adam solver takes at most 16 classes");
    if (!(params.dropout >= 0.0 && params.dropout < 1.0)) {
        throw std::invalid_argument("LinearReadout: dropout must be in [0, 1)");
    }
    const auto threshold = static_cast<std::uint32_t>(std::lround(params.dropout * kDrawRange));
    // Inverted dropout: kept inputs are scaled by 1 / (probability kept), so evaluation needs no scaling.
    const auto keep_scale =
        threshold == 0 ? 1.0F
                       : static_cast<float>(static_cast<double>(kDrawRange) / static_cast<double>(kDrawRange - threshold));
    const std::size_t batch = std::max<std::size_t>(1, std::min(params.batch, n));
    std::vector<float> w(features * kLanes, 0.0F);
    std::vector<float> m(w.size(), 0.0F);
    std::vector<float> v(w.size(), 0.0F);
    float b[kLanes] = {};
    float mb[kLanes] = {};
    float vb[kLanes] = {};
    std::vector<float> x(batch * features);  // the batch's dropped-out rows
    std::vector<Floats16> g(batch);
    std::vector<double> loss(batch);
    const std::size_t draw_stride = (features + 3) / 4 * 4;  // whole 64-bit draws of four 16-bit numbers
    std::vector<std::uint16_t> draws(batch * draw_stride);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    const std::size_t feature_blocks = (features + kFeatureBlock - 1) / kFeatureBlock;
    std::uint64_t t = 0;
    for (std::size_t epoch = 0; epoch < params.epochs; ++epoch) {
        Rng shuffle = Rng::stream(seed, StreamPurpose::readout, epoch);
        shuffle_in_place(order, shuffle);
        const double rate = adam_epoch_learning_rate(params.learning_rate, epoch, params.epochs);
        double epoch_loss = 0.0;
        for (std::size_t start = 0; start < n; start += batch) {
            const std::size_t count = std::min(batch, n - start);
            const auto scale = static_cast<float>(1.0 / static_cast<double>(count));
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 4), [&](const tbb::blocked_range<std::size_t>& r) {
                for (std::size_t j = r.begin(); j != r.end(); ++j) {
                    const std::size_t position = start + j;
                    std::uint16_t* draw = draws.data() + j * draw_stride;
                    if (threshold > 0) {
                        // One stream per (epoch, position in the epoch): the mask does not depend on which
                        // thread draws it.
                        Rng rng = Rng::stream(seed, StreamPurpose::readout_dropout, epoch * n + position);
                        for (std::size_t f = 0; f < features; f += 4) {
                            const std::uint64_t u = rng.next();
                            std::memcpy(draw + f, &u, sizeof u);
                        }
                    }
                    const std::size_t s = order[position];
                    const auto r_row = rates.row(rows.empty() ? s : rows[s]);
                    float* xj = x.data() + j * features;
                    if (threshold > 0) {
                        dropped_row(r_row.data(), mean_.data(), inv_std_.data(), draw, threshold, keep_scale, features,
                                    xj);
                    } else {
                        for (std::size_t f = 0; f < features; ++f) xj[f] = (r_row[f] - mean_[f]) * inv_std_[f];
                    }
                    float logits[kLanes];
                    row_logits(xj, w.data(), b, features, logits);
                    Floats16 z;
                    std::memcpy(&z, logits, sizeof z);
                    loss[j] = softmax_gradient16(z, classes_, labels[s], scale, g[j]);
                }
            });
            for (std::size_t j = 0; j < count; ++j) epoch_loss += loss[j];
            ++t;
            const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(t));
            const auto step = static_cast<float>(rate / correction1);
            const auto root_correction = static_cast<float>(std::sqrt(1.0 - std::pow(kBeta2, static_cast<double>(t))));
            const auto l2 = static_cast<float>(params.l2);
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, feature_blocks, 1),
                              [&](const tbb::blocked_range<std::size_t>& r) {
                                  for (std::size_t k = r.begin(); k != r.end(); ++k) {
                                      update_features(x.data(), g.data(), count, features, k * kFeatureBlock,
                                                      std::min(features, (k + 1) * kFeatureBlock), l2, step,
                                                      root_correction, w.data(), m.data(), v.data());
                                  }
                              });
            Floats16 grad_b = {};
            for (std::size_t j = 0; j < count; ++j) grad_b += g[j];
            for (std::size_t c = 0; c < kLanes; ++c) {  // biases: no l2, as in the other solvers
                const auto beta1 = static_cast<float>(kBeta1);
                const auto beta2 = static_cast<float>(kBeta2);
                mb[c] = beta1 * mb[c] + (1.0F - beta1) * grad_b[c];
                vb[c] = beta2 * vb[c] + (1.0F - beta2) * grad_b[c] * grad_b[c];
                b[c] -= step * mb[c] / (std::sqrt(vb[c]) / root_correction + kEpsilon);
            }
        }
        final_loss_ = epoch_loss / static_cast<double>(n);
    }
    for (std::size_t c = 0; c < classes_; ++c) {
        for (std::size_t f = 0; f < features; ++f) weights_[c * features + f] = w[f * kLanes + c];
        bias_[c] = b[c];
    }
    iterations_ = t;
}

}  // namespace softspike
