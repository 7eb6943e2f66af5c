#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/counters.hpp"
#include "core/numerical_error.hpp"
#include "core/projection.hpp"
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// The per-synapse loop the Hebbian-with-decay rules share in their spiking form: on a spike of neuron k,
// every synapse onto k applies dw_ki = eta * (hebb * x_hat_i - decay * w_ki). With `row` (normalised update,
// docs/model.md §5.1) the step is divided by the largest |hebb * x_hat_i - decay * w_ki| of the neuron: the
// terms are kept in `row` (a chip's row buffer) as the weights are read, and each weight is written once, so a
// synapse still costs one read-modify-write. Returns ‖w_k‖² after the update; throws NumericalError, naming `rule`,
// when the weights stop being finite.
inline double apply_hebbian_update(const char* rule, std::uint32_t neuron, std::span<const float> pre,
                                   Projection& weights, float eta, float hebb, float decay, EventCounters& counters,
                                   std::vector<float>* row = nullptr) {
    const std::size_t n = weights.targets();
    const std::size_t d = weights.sources();
    float* w = weights.weights().data() + neuron;
    double norm_sq = 0.0;
    if (row != nullptr) {
        row->resize(d);
        float* term = row->data();
        float largest = 0.0F;
        for (std::size_t i = 0; i < d; ++i) {
            term[i] = hebb * pre[i] - decay * w[i * n];
            largest = std::max(largest, std::abs(term[i]));
        }
        const float step = largest > 0.0F ? eta / largest : 0.0F;
        for (std::size_t i = 0; i < d; ++i) {
            float& wi = w[i * n];
            wi += step * term[i];
            norm_sq += static_cast<double>(wi) * wi;
        }
    } else {
        for (std::size_t i = 0; i < d; ++i) {
            float& wi = w[i * n];
            wi += eta * (hebb * pre[i] - decay * wi);
            norm_sq += static_cast<double>(wi) * wi;
        }
    }
    counters.plasticity_updates += d;
    if (!std::isfinite(norm_sq)) {
        throw NumericalError(std::string(rule) + ": the weights of neuron " + std::to_string(neuron) +
                             " became non-finite (learning rate " + std::to_string(eta) + ", decay factor " +
                             std::to_string(decay) +
                             "): the learning rate is too large for the input scale; lower "
                             "plasticity.learning_rate, plasticity.adaptive_power or plasticity.initial_weight_norm");
    }
    return norm_sq;
}

// The Hebbian-with-decay rules that differ only in their decay term (Hebb, instar, Oja): hebb = y in the
// rate form and 1 per spike; Rule supplies `name`, `spike_decay(post)` and `rate_decay(u, y)`.
template <typename Rule>
class HebbianFamily : public PlasticityRule {
public:
    explicit HebbianFamily(double learning_rate, bool normalise_update = false)
        : learning_rate_(static_cast<float>(learning_rate)), normalise_update_(normalise_update) {}
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override {
        // A batched update of `count` spikes takes `count` steps at once.
        apply_hebbian_update(Rule::name, post.neuron, pre, weights,
                             learning_rate_ * rate_scale_ * static_cast<float>(post.count) * post.sign, 1.0F,
                             Rule::spike_decay(post), counters, normalise_update_ ? &row_ : nullptr);
    }
    void rate_terms(std::span<const float> u, std::span<const float> y, std::span<float> hebb,
                    std::span<float> decay) const override {
        for (std::size_t k = 0; k < y.size(); ++k) {
            hebb[k] = y[k];
            decay[k] = Rule::rate_decay(u[k], y[k]);
        }
    }

private:
    float learning_rate_;
    bool normalise_update_;
    std::vector<float> row_;  // the normalised update's terms for one neuron
};

}  // namespace softspike
