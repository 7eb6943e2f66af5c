#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// SoftHebb (Moraitis et al. 2022) in its event-driven form (docs/model.md §5.1): when neuron k spikes, every
// synapse onto k applies dw_ki = eta_k * (x_hat_i - u_k * w_ki). Since k spikes with probability y_k, the
// expected update is the rate rule eta * y_k * (x_i - u_k * w_ki).
//
// eta_k = eta by default. With adaptive_power p > 0, eta_k = eta * (|‖w_k‖ - r| + 1e-10)^p (r the norm target, 1
// unless plasticity.norm_target says otherwise), the per-neuron
// adaptive learning rate of multilayer SoftHebb (Journé et al. 2023): a neuron far from the unit sphere
// learns fast, one that has converged slows down, which anneals each neuron on its own schedule. The norm
// is local to the neuron and kept up to date inside the update loop, so it costs one multiply-add per
// synapse and no extra pass.
class SoftHebb final : public PlasticityRule {
public:
    explicit SoftHebb(double learning_rate, double adaptive_power = 0.0, bool normalise_update = false,
                      double norm_target = 1.0)
        : learning_rate_(static_cast<float>(learning_rate)),
          adaptive_power_(adaptive_power),
          norm_target_(norm_target),
          normalise_update_(normalise_update) {}
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    void rate_terms(std::span<const float> u, std::span<const float> y, std::span<float> hebb,
                    std::span<float> decay) const override {
        for (std::size_t k = 0; k < y.size(); ++k) {
            hebb[k] = y[k];
            decay[k] = y[k] * u[k];
        }
    }
    // The running weight norms of the adaptive learning rate (empty when it is off).
    [[nodiscard]] std::vector<double> state() const override { return norms_; }
    void restore(std::vector<double> state) override { norms_ = std::move(state); }
    [[nodiscard]] float learning_rate() const { return learning_rate_; }
    // The learning rate neuron k would use now.
    [[nodiscard]] float neuron_learning_rate(std::uint32_t neuron, const Projection& weights);

private:
    float learning_rate_;
    double adaptive_power_;
    double norm_target_;
    std::vector<double> norms_;  // per neuron, negative until first computed
    bool normalise_update_;
    std::vector<float> row_;  // the normalised update's terms for one neuron
};

// The rate form (docs/model.md §5.1) for one input x on source-major weights W (D x N) and biases b:
// returns dW (same layout) = eta * y_k * (x_i - u_k * w_ki), y = softmax(u / temperature), u = W^T x + b.
std::vector<float> softhebb_rate_delta(const Projection& weights, std::span<const float> biases,
                                       std::span<const float> x, double learning_rate, double temperature);

}  // namespace softspike
