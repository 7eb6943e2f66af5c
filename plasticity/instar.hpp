#pragma once
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// Grossberg's instar (model.md §1): dw_ki = eta * y_k * (x_i - w_ki), pulling w_k towards the inputs k
// responds to; as spikes, eta * (x_hat_i - w_ki) at every spike of k.
class Instar final : public PlasticityRule {
public:
    explicit Instar(double learning_rate) : learning_rate_(static_cast<float>(learning_rate)) {}
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    void rate_terms(std::span<const float> /*u*/, std::span<const float> y, std::span<float> hebb,
                    std::span<float> decay) const override {
        for (std::size_t k = 0; k < y.size(); ++k) {
            hebb[k] = y[k];
            decay[k] = y[k];
        }
    }

private:
    float learning_rate_;
};

}  // namespace softspike
