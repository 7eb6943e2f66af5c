#include "plasticity/softhebb.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "plasticity/hebbian_update.hpp"

namespace softspike {

float SoftHebb::neuron_learning_rate(std::uint32_t neuron, const Projection& weights) {
    if (adaptive_power_ <= 0.0) return learning_rate_ * rate_scale_;
    if (norms_.size() != weights.targets()) norms_.assign(weights.targets(), -1.0);
    if (norms_[neuron] < 0.0) {
        double sum = 0.0;
        for (std::size_t i = 0; i < weights.sources(); ++i) {
            sum += static_cast<double>(weights.at(i, neuron)) * weights.at(i, neuron);
        }
        norms_[neuron] = std::sqrt(sum);
    }
    return static_cast<float>((learning_rate_ * rate_scale_) *
                              std::pow(std::abs(norms_[neuron] - norm_target_) + 1e-10, adaptive_power_));
}

void SoftHebb::on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                       EventCounters& counters) {
    const float eta = neuron_learning_rate(post.neuron, weights) * static_cast<float>(post.count) * post.sign;
    const double norm_sq = apply_hebbian_update("SoftHebb", post.neuron, pre, weights, eta, 1.0F, post.drive, counters,
                                                normalise_update_ ? &row_ : nullptr);
    if (adaptive_power_ > 0.0) norms_[post.neuron] = std::sqrt(norm_sq);
}

std::vector<float> softhebb_rate_delta(const Projection& weights, std::span<const float> biases,
                                       std::span<const float> x, double learning_rate, double temperature) {
    const std::size_t n = weights.targets();
    const std::size_t d = weights.sources();
    std::vector<double> u(n, 0.0);
    for (std::size_t i = 0; i < d; ++i) {
        for (std::size_t k = 0; k < n; ++k) u[k] += static_cast<double>(weights.at(i, k)) * x[i];
    }
    for (std::size_t k = 0; k < n; ++k) u[k] += biases[k];
    const double max_u = *std::max_element(u.begin(), u.end());
    std::vector<double> y(n);
    double total = 0.0;
    for (std::size_t k = 0; k < n; ++k) total += (y[k] = std::exp((u[k] - max_u) / temperature));
    for (double& yk : y) yk /= total;
    std::vector<float> delta(d * n);
    for (std::size_t i = 0; i < d; ++i) {
        for (std::size_t k = 0; k < n; ++k) {
            delta[i * n + k] = static_cast<float>(learning_rate * y[k] * (x[i] - u[k] * weights.at(i, k)));
        }
    }
    return delta;
}

}  // namespace softspike
