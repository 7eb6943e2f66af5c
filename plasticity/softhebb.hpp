#pragma once
#include <span>
#include <vector>

#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// SoftHebb (Moraitis et al. 2022) in its event-driven form (model.md §2): when neuron k spikes, every
// synapse onto k applies dw_ki = eta * (x_hat_i - u_k * w_ki). Since k spikes with probability y_k, the
// expected update is the rate rule eta * y_k * (x_i - u_k * w_ki).
class SoftHebb final : public PlasticityRule {
public:
    explicit SoftHebb(double learning_rate) : learning_rate_(static_cast<float>(learning_rate)) {}
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    [[nodiscard]] float learning_rate() const { return learning_rate_; }

private:
    float learning_rate_;
};

// The rate form (model.md §1) for one input x on source-major weights W (D x N) and biases b:
// returns dW (same layout) = eta * y_k * (x_i - u_k * w_ki), y = softmax(u / temperature), u = W^T x + b.
std::vector<float> softhebb_rate_delta(const Projection& weights, std::span<const float> biases,
                                       std::span<const float> x, double learning_rate, double temperature);

}  // namespace softspike
