#include "readout/linear_readout.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"
#include "core/random.hpp"
#include "readout/lbfgs.hpp"

namespace softspike {

void LinearReadout::logits(std::span<const float> rate, std::vector<double>& out) const {
    out.assign(classes_, 0.0);
    for (std::size_t c = 0; c < classes_; ++c) {
        const double* w = weights_.data() + c * features_;
        double z = bias_[c];
        for (std::size_t f = 0; f < features_; ++f) z += w[f] * ((rate[f] - mean_[f]) * inv_std_[f]);
        out[c] = z;
    }
}

LinearReadout LinearReadout::from_parameters(std::size_t classes, std::size_t features, std::span<const float> weights,
                                             std::span<const float> bias) {
    if (weights.size() != classes * features || bias.size() != classes) {
        throw std::invalid_argument("LinearReadout: " + std::to_string(weights.size()) + " weights and " +
                                    std::to_string(bias.size()) + " biases for " + std::to_string(classes) +
                                    " classes of " + std::to_string(features) + " features");
    }
    LinearReadout r;
    r.classes_ = classes;
    r.features_ = features;
    r.mean_.assign(features, 0.0F);
    r.inv_std_.assign(features, 1.0F);
    r.weights_.assign(weights.begin(), weights.end());
    r.bias_.assign(bias.begin(), bias.end());
    return r;
}

namespace {

// Row s of the fitted rows: rows[s], or s itself when every row is fitted.
std::span<const float> fitted_row(const RateVectors& rates, std::span<const std::size_t> rows, std::size_t s) {
    return rates.row(rows.empty() ? s : rows[s]);
}

}  // namespace

void LinearReadout::fit(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes,
                        const LinearReadoutParams& params, std::uint64_t seed, std::span<const std::size_t> rows) {
    const std::size_t n = rows.empty() ? rates.samples : rows.size();
    if (labels.size() != n) throw std::invalid_argument("LinearReadout::fit: label count mismatch");
    for (const std::size_t r : rows) {
        if (r >= rates.samples) throw std::invalid_argument("LinearReadout::fit: a row beyond the rate vectors");
    }
    classes_ = classes;
    features_ = rates.neurons;
    mean_.assign(features_, 0.0F);
    inv_std_.assign(features_, 1.0F);
    std::vector<double> sum(features_, 0.0);
    std::vector<double> sum_sq(features_, 0.0);
    for (std::size_t s = 0; s < n; ++s) {
        const auto r = fitted_row(rates, rows, s);
        for (std::size_t f = 0; f < features_; ++f) {
            sum[f] += r[f];
            sum_sq[f] += static_cast<double>(r[f]) * r[f];
        }
    }
    for (std::size_t f = 0; f < features_ && n > 0; ++f) {
        const double mean = sum[f] / static_cast<double>(n);
        const double var = sum_sq[f] / static_cast<double>(n) - mean * mean;
        mean_[f] = static_cast<float>(mean);
        inv_std_[f] = var > 1e-12 ? static_cast<float>(1.0 / std::sqrt(var)) : 0.0F;  // constant features drop out
    }
    weights_.assign(classes_ * features_, 0.0);
    bias_.assign(classes_, 0.0);
    if (params.solver == ReadoutSolver::lbfgs) {
        fit_lbfgs(rates, rows, labels, params);
    } else if (params.solver == ReadoutSolver::adam) {
        fit_adam(rates, rows, labels, params, seed);
    } else {
        fit_sgd(rates, rows, labels, params, seed);
    }
}

void LinearReadout::fit_sgd(const RateVectors& rates, std::span<const std::size_t> rows,
                            std::span<const std::uint8_t> labels, const LinearReadoutParams& params,
                            std::uint64_t seed) {
    const std::size_t n = labels.size();
    std::vector<double> velocity_w(weights_.size(), 0.0);
    std::vector<double> velocity_b(classes_, 0.0);
    std::vector<double> grad_w(weights_.size());
    std::vector<double> grad_b(classes_);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> z;
    std::vector<float> x(features_);
    constexpr double momentum = 0.9;
    for (std::size_t epoch = 0; epoch < params.epochs; ++epoch) {
        Rng rng = Rng::stream(seed, StreamPurpose::readout, epoch);
        shuffle_in_place(order, rng);
        const double lr =
            params.learning_rate * (1.0 - static_cast<double>(epoch) / static_cast<double>(params.epochs));
        double loss = 0.0;
        for (std::size_t start = 0; start < n; start += params.batch) {
            const std::size_t stop = std::min(n, start + params.batch);
            std::fill(grad_w.begin(), grad_w.end(), 0.0);
            std::fill(grad_b.begin(), grad_b.end(), 0.0);
            for (std::size_t j = start; j < stop; ++j) {
                const std::size_t s = order[j];
                const auto r = fitted_row(rates, rows, s);
                for (std::size_t f = 0; f < features_; ++f) x[f] = (r[f] - mean_[f]) * inv_std_[f];
                logits(r, z);
                const double max_z = *std::max_element(z.begin(), z.end());
                double total = 0.0;
                for (double& v : z) total += (v = std::exp(v - max_z));
                loss -= std::log(std::max(z[labels[s]] / total, 1e-300));
                for (std::size_t c = 0; c < classes_; ++c) {
                    const double g = z[c] / total - (c == labels[s] ? 1.0 : 0.0);
                    grad_b[c] += g;
                    double* gw = grad_w.data() + c * features_;
                    for (std::size_t f = 0; f < features_; ++f) gw[f] += g * x[f];
                }
            }
            const double scale = 1.0 / static_cast<double>(stop - start);
            for (std::size_t i = 0; i < weights_.size(); ++i) {
                velocity_w[i] = momentum * velocity_w[i] - lr * (grad_w[i] * scale + params.l2 * weights_[i]);
                weights_[i] += velocity_w[i];
            }
            for (std::size_t c = 0; c < classes_; ++c) {
                velocity_b[c] = momentum * velocity_b[c] - lr * grad_b[c] * scale;
                bias_[c] += velocity_b[c];
            }
        }
        final_loss_ = n > 0 ? loss / static_cast<double>(n) : 0.0;
    }
}

namespace {

// Classes are padded to a multiple of this, so that the per-class loops are whole vectors.
constexpr std::size_t kClassPad = 16;
// Samples per block of the objective: each block's gradient is summed in float, the blocks in double in
// block order, so the sum does not depend on the thread count.
constexpr std::size_t kObjectiveBlock = 1024;

// One row's softmax over its `classes` logits z: returns its cross-entropy for `label` and writes the
// gradient of the logits, (p - onehot) * scale, into g[0, padded), zero in the padding. Shared by both
// objective kernels.
[[gnu::always_inline]] inline double softmax_gradient(const float* z, std::size_t classes, std::size_t padded,
                                                      std::uint8_t label, float scale, float* g) {
    float max_z = z[0];
    for (std::size_t c = 1; c < classes; ++c) max_z = std::max(max_z, z[c]);
    double sum = 0.0;
    for (std::size_t c = 0; c < classes; ++c) sum += (g[c] = std::exp(z[c] - max_z));
    const double loss = -std::log(std::max(static_cast<double>(g[label]) / sum, 1e-300));
    const auto inv_sum = static_cast<float>(1.0 / sum);
    for (std::size_t c = 0; c < padded; ++c) {
        const float p = c < classes ? g[c] * inv_sum : 0.0F;
        g[c] = (p - (c == label ? 1.0F : 0.0F)) * scale;
    }
    return loss;
}

// The cross-entropy of rows [0, rows) of x (row-major, `features` wide) under the class-padded weights w
// (features x padded, biases b), added to `loss`, and its gradient (without the l2 term), added to grad
// (features x padded) and grad_b. One pass over the rows: each row's logits, softmax and outer product are
// computed while the row is in cache (two OpenBLAS products, each packing the whole matrix again, took 4x
// as long).
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void objective_block(
    const float* __restrict x, std::size_t rows, std::size_t features, std::size_t classes, std::size_t padded,
    const float* __restrict w, const float* __restrict b, const std::uint8_t* __restrict labels, float scale,
    float* __restrict grad, float* __restrict grad_b, double* loss) {
    float z[256];
    float g[256];
    double total_loss = 0.0;
    for (std::size_t s = 0; s < rows; ++s) {
        const float* row = x + s * features;
        for (std::size_t c = 0; c < padded; ++c) z[c] = b[c];
        for (std::size_t f = 0; f < features; ++f) {
            const float v = row[f];
            const float* wf = w + f * padded;
            for (std::size_t c = 0; c < padded; ++c) z[c] += v * wf[c];
        }
        total_loss += softmax_gradient(z, classes, padded, labels[s], scale, g);
        for (std::size_t f = 0; f < features; ++f) {
            const float v = row[f];
            float* gf = grad + f * padded;
            for (std::size_t c = 0; c < padded; ++c) gf[c] += v * g[c];
        }
        for (std::size_t c = 0; c < padded; ++c) grad_b[c] += g[c];
    }
    *loss += total_loss;
}

// The same for at most 16 classes, four rows at a time: the logits of a row are one 16-wide vector (a GCC
// vector type, so it stays in registers: as an array it went through memory on every feature), and four rows
// give four independent chains of adds where one row alone waits on each add's latency.
using Floats16 = float __attribute__((vector_size(64)));

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void objective_block16(
    const float* __restrict x, std::size_t rows, std::size_t features, std::size_t classes, const float* __restrict w,
    const float* __restrict b, const std::uint8_t* __restrict labels, float scale, float* __restrict grad,
    float* __restrict grad_b, double* loss) {
    constexpr std::size_t P = 16;
    constexpr std::size_t R = 4;
    double total_loss = 0.0;
    Floats16 bias;
    Floats16 bias_grad;
    std::memcpy(&bias, b, sizeof bias);
    std::memcpy(&bias_grad, grad_b, sizeof bias_grad);
    for (std::size_t s0 = 0; s0 < rows; s0 += R) {
        const std::size_t group = std::min(R, rows - s0);
        const float* r0 = x + s0 * features;
        const float* r1 = x + (s0 + std::min<std::size_t>(1, group - 1)) * features;
        const float* r2 = x + (s0 + std::min<std::size_t>(2, group - 1)) * features;
        const float* r3 = x + (s0 + std::min<std::size_t>(3, group - 1)) * features;
        Floats16 z0 = bias;
        Floats16 z1 = bias;
        Floats16 z2 = bias;
        Floats16 z3 = bias;
        for (std::size_t f = 0; f < features; ++f) {
            Floats16 wf;
            std::memcpy(&wf, w + f * P, sizeof wf);
            z0 += r0[f] * wf;
            z1 += r1[f] * wf;
            z2 += r2[f] * wf;
            z3 += r3[f] * wf;
        }
        Floats16 g[R] = {z0, z1, z2, z3};
        for (std::size_t r = 0; r < R; ++r) {
            if (r >= group) {  // a repeated row filling the last group: no loss, no gradient
                g[r] = Floats16{};
                continue;
            }
            float z[P];
            float out[P];
            std::memcpy(z, &g[r], sizeof z);
            total_loss += softmax_gradient(z, classes, P, labels[s0 + r], scale, out);
            std::memcpy(&g[r], out, sizeof out);
        }
        for (std::size_t f = 0; f < features; ++f) {
            Floats16 gf;
            std::memcpy(&gf, grad + f * P, sizeof gf);
            gf += r0[f] * g[0];
            gf += r1[f] * g[1];
            gf += r2[f] * g[2];
            gf += r3[f] * g[3];
            std::memcpy(grad + f * P, &gf, sizeof gf);
        }
        bias_grad += g[0];
        bias_grad += g[1];
        bias_grad += g[2];
        bias_grad += g[3];
    }
    std::memcpy(grad_b, &bias_grad, sizeof bias_grad);
    *loss += total_loss;
}

}  // namespace

void LinearReadout::fit_lbfgs(const RateVectors& rates, std::span<const std::size_t> rows,
                              std::span<const std::uint8_t> labels, const LinearReadoutParams& params) {
    const std::size_t n = labels.size();
    const std::size_t f_count = features_;
    const std::size_t c_count = classes_;
    if (n == 0) return;
    if (c_count > 256) throw std::invalid_argument("LinearReadout: at most 256 classes");
    const std::size_t padded = (c_count + kClassPad - 1) / kClassPad * kClassPad;
    // The fitted rows standardised once, row-major n x F: the objective's kernels read them 200-odd times.
    // Standardising them as each evaluation read them (into a small buffer or inside the kernels) saved this
    // copy's memory but made the read-out of a deep run 25-30 % slower.
    std::vector<float> x(n * f_count);
    for_each_row(n, [&](std::size_t s) {
        const auto r = fitted_row(rates, rows, s);
        for (std::size_t f = 0; f < f_count; ++f) x[s * f_count + f] = (r[f] - mean_[f]) * inv_std_[f];
    });
    const std::size_t blocks = (n + kObjectiveBlock - 1) / kObjectiveBlock;
    const std::size_t block_size = (f_count + 1) * padded;  // grad (F x padded), then grad_b
    std::vector<float> w_padded(f_count * padded, 0.0F);
    std::vector<float> b_padded(padded, 0.0F);
    std::vector<float> block_grad(blocks * block_size);
    std::vector<double> block_loss(blocks);
    const auto scale = static_cast<float>(1.0 / static_cast<double>(n));
    // Variables: W (C x F, class-major like weights_) then b (C).
    auto objective = [&](std::span<const double> v, std::span<double> gradient) {
        for (std::size_t c = 0; c < c_count; ++c) {
            for (std::size_t f = 0; f < f_count; ++f) w_padded[f * padded + c] = static_cast<float>(v[c * f_count + f]);
            b_padded[c] = static_cast<float>(v[c_count * f_count + c]);
        }
        std::fill(block_grad.begin(), block_grad.end(), 0.0F);
        std::fill(block_loss.begin(), block_loss.end(), 0.0);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) {
                const std::size_t first = k * kObjectiveBlock;
                const std::size_t rows_in_block = std::min(kObjectiveBlock, n - first);
                float* grad = block_grad.data() + k * block_size;
                if (padded == kClassPad) {
                    objective_block16(x.data() + first * f_count, rows_in_block, f_count, c_count, w_padded.data(),
                                      b_padded.data(), labels.data() + first, scale, grad, grad + f_count * padded,
                                      &block_loss[k]);
                } else {
                    objective_block(x.data() + first * f_count, rows_in_block, f_count, c_count, padded,
                                    w_padded.data(), b_padded.data(), labels.data() + first, scale, grad,
                                    grad + f_count * padded, &block_loss[k]);
                }
            }
        });
        double loss = 0.0;
        for (const double l : block_loss) loss += l;
        loss /= static_cast<double>(n);
        std::fill(gradient.begin(), gradient.end(), 0.0);
        for (std::size_t k = 0; k < blocks; ++k) {  // block order: the same sums on any thread count
            const float* grad = block_grad.data() + k * block_size;
            for (std::size_t c = 0; c < c_count; ++c) {
                for (std::size_t f = 0; f < f_count; ++f) gradient[c * f_count + f] += grad[f * padded + c];
                gradient[c_count * f_count + c] += grad[f_count * padded + c];
            }
        }
        for (std::size_t i = 0; i < c_count * f_count; ++i) {
            loss += 0.5 * params.l2 * v[i] * v[i];
            gradient[i] += params.l2 * v[i];
        }
        return loss;
    };
    std::vector<double> v(c_count * f_count + c_count, 0.0);
    LbfgsParams lbfgs;
    lbfgs.max_iterations = params.max_iterations;
    const LbfgsResult result = minimize_lbfgs(objective, v, lbfgs);
    std::copy(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(c_count * f_count), weights_.begin());
    std::copy(v.begin() + static_cast<std::ptrdiff_t>(c_count * f_count), v.end(), bias_.begin());
    // The reported loss is the cross-entropy alone, as for SGD.
    double l2_term = 0.0;
    for (std::size_t i = 0; i < c_count * f_count; ++i) l2_term += 0.5 * params.l2 * v[i] * v[i];
    final_loss_ = result.value - l2_term;
    iterations_ = result.iterations;
}

std::uint8_t LinearReadout::predict(std::span<const float> rate) const {
    std::vector<double> z;
    logits(rate, z);
    return static_cast<std::uint8_t>(std::max_element(z.begin(), z.end()) - z.begin());
}

std::uint8_t LinearReadout::loss_gradient(std::span<const float> rate, std::uint8_t label, std::span<float> gradient,
                                          double* loss) const {
    std::vector<double> z;
    logits(rate, z);
    const auto predicted = static_cast<std::uint8_t>(std::max_element(z.begin(), z.end()) - z.begin());
    const double top = z[predicted];
    double total = 0.0;
    const double own = z[label];
    for (double& v : z) {
        v = std::exp(v - top);
        total += v;
    }
    if (loss != nullptr) *loss = std::log(total) + top - own;
    // d(-log p_label)/d logit_c = p_c - [c = label]; the logits are W (r - mean) / sd + b.
    std::vector<double> back(features_, 0.0);
    for (std::size_t c = 0; c < classes_; ++c) {
        const double g = z[c] / total - (c == label ? 1.0 : 0.0);
        const double* w = weights_.data() + c * features_;
        for (std::size_t f = 0; f < features_; ++f) back[f] += g * w[f];
    }
    for (std::size_t f = 0; f < features_; ++f) gradient[f] = static_cast<float>(back[f] * inv_std_[f]);
    return predicted;
}

std::vector<std::uint8_t> LinearReadout::predict(const RateVectors& rates, std::span<const std::size_t> rows) const {
    const std::size_t n = rows.empty() ? rates.samples : rows.size();
    std::vector<std::uint8_t> out(n);
    for (std::size_t s = 0; s < n; ++s) out[s] = predict(fitted_row(rates, rows, s));
    return out;
}

}  // namespace softspike
