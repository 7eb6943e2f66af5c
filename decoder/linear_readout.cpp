#include "decoder/linear_readout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/random.hpp"
#include "decoder/lbfgs.hpp"
#include "rate/dense_kernels.hpp"

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

void LinearReadout::fit(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes,
                        const LinearReadoutParams& params, std::uint64_t seed) {
    if (labels.size() != rates.samples) throw std::invalid_argument("LinearReadout::fit: label count mismatch");
    classes_ = classes;
    features_ = rates.neurons;
    const std::size_t n = rates.samples;
    mean_.assign(features_, 0.0F);
    inv_std_.assign(features_, 1.0F);
    std::vector<double> sum(features_, 0.0);
    std::vector<double> sum_sq(features_, 0.0);
    for (std::size_t s = 0; s < n; ++s) {
        const auto r = rates.row(s);
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
        fit_lbfgs(rates, labels, params);
    } else {
        fit_sgd(rates, labels, params, seed);
    }
}

void LinearReadout::fit_sgd(const RateVectors& rates, std::span<const std::uint8_t> labels,
                            const LinearReadoutParams& params, std::uint64_t seed) {
    const std::size_t n = rates.samples;
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
        for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
        const double lr =
            params.learning_rate * (1.0 - static_cast<double>(epoch) / static_cast<double>(params.epochs));
        double loss = 0.0;
        for (std::size_t start = 0; start < n; start += params.batch) {
            const std::size_t stop = std::min(n, start + params.batch);
            std::fill(grad_w.begin(), grad_w.end(), 0.0);
            std::fill(grad_b.begin(), grad_b.end(), 0.0);
            for (std::size_t j = start; j < stop; ++j) {
                const std::size_t s = order[j];
                const auto r = rates.row(s);
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

void LinearReadout::fit_lbfgs(const RateVectors& rates, std::span<const std::uint8_t> labels,
                              const LinearReadoutParams& params) {
    const std::size_t n = rates.samples;
    const std::size_t f_count = features_;
    const std::size_t c_count = classes_;
    if (n == 0) return;
    // The standardised features once, row-major n x F, for the two products of every evaluation.
    std::vector<float> x(n * f_count);
    for_each_row(n, [&](std::size_t s) {
        const auto r = rates.row(s);
        for (std::size_t f = 0; f < f_count; ++f) x[s * f_count + f] = (r[f] - mean_[f]) * inv_std_[f];
    });
    std::vector<float> w_t(f_count * c_count);   // W transposed, F x C, in float for sgemm
    std::vector<float> z(n * c_count);           // logits, then (p - onehot) / n
    std::vector<float> grad_t(f_count * c_count);
    std::vector<double> sample_loss(n);
    const double inv_n = 1.0 / static_cast<double>(n);
    // Variables: W (C x F, class-major like weights_) then b (C).
    auto objective = [&](std::span<const double> v, std::span<double> gradient) {
        for (std::size_t c = 0; c < c_count; ++c) {
            for (std::size_t f = 0; f < f_count; ++f) w_t[f * c_count + c] = static_cast<float>(v[c * f_count + f]);
        }
        gemm_nn(x, w_t, z, n, f_count, c_count);
        const std::span<const double> b = v.subspan(c_count * f_count, c_count);
        for_each_row(n, [&](std::size_t s) {
            float* row = z.data() + s * c_count;
            double logit[256];  // classes <= 256 (labels are bytes)
            double max_z = -1e300;
            for (std::size_t c = 0; c < c_count; ++c) max_z = std::max(max_z, logit[c] = row[c] + b[c]);
            double total = 0.0;
            for (std::size_t c = 0; c < c_count; ++c) total += (logit[c] = std::exp(logit[c] - max_z));
            sample_loss[s] = -std::log(std::max(logit[labels[s]] / total, 1e-300));
            for (std::size_t c = 0; c < c_count; ++c) {
                row[c] = static_cast<float>((logit[c] / total - (c == labels[s] ? 1.0 : 0.0)) * inv_n);
            }
        });
        std::fill(grad_t.begin(), grad_t.end(), 0.0F);
        gemm_tn_accumulate(x, z, grad_t, n, f_count, c_count, 1.0F);
        double loss = 0.0;
        for (const double l : sample_loss) loss += l;  // in sample order: the same sum on any thread count
        loss *= inv_n;
        for (std::size_t c = 0; c < c_count; ++c) {
            double grad_b = 0.0;
            for (std::size_t s = 0; s < n; ++s) grad_b += z[s * c_count + c];
            gradient[c_count * f_count + c] = grad_b;
            for (std::size_t f = 0; f < f_count; ++f) {
                const double w = v[c * f_count + f];
                loss += 0.5 * params.l2 * w * w;
                gradient[c * f_count + f] = grad_t[f * c_count + c] + params.l2 * w;
            }
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

std::vector<std::uint8_t> LinearReadout::predict(const RateVectors& rates) const {
    std::vector<std::uint8_t> out(rates.samples);
    for (std::size_t s = 0; s < rates.samples; ++s) out[s] = predict(rates.row(s));
    return out;
}

}  // namespace softspike
