#pragma once
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// Oja's rule (model.md §1): dw_ki = eta * y_k * (x_i - y_k * w_ki), which keeps ‖w_k‖ bounded. As spikes,
// at every spike of k: eta * (x_hat_i - y_hat_k * w_ki), with y_hat_k the neuron's share of the
// population's spikes so far in the presentation (PostSpike::output_share); since k spikes with probability
// y_k, the expected update approaches the rate rule as the share settles during the window.
class Oja final : public PlasticityRule {
public:
    explicit Oja(double learning_rate) : learning_rate_(static_cast<float>(learning_rate)) {}
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    void rate_terms(std::span<const float> /*u*/, std::span<const float> y, std::span<float> hebb,
                    std::span<float> decay) const override {
        for (std::size_t k = 0; k < y.size(); ++k) {
            hebb[k] = y[k];
            decay[k] = y[k] * y[k];
        }
    }

private:
    float learning_rate_;
};

}  // namespace softspike
