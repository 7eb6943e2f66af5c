#include "decoder/linear_readout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/random.hpp"

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
