#pragma once
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// Plain Hebb (model.md §1): dw_ki = eta * y_k * x_i; as spikes, eta * x_hat_i at every spike of k. Nothing
// bounds the weights: it is here as the baseline the other rules improve on.
class Hebb final : public PlasticityRule {
public:
    explicit Hebb(double learning_rate) : learning_rate_(static_cast<float>(learning_rate)) {}
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    void rate_terms(std::span<const float> /*u*/, std::span<const float> y, std::span<float> hebb,
                    std::span<float> decay) const override {
        for (std::size_t k = 0; k < y.size(); ++k) {
            hebb[k] = y[k];
            decay[k] = 0.0F;
        }
    }

private:
    float learning_rate_;
};

}  // namespace softspike
