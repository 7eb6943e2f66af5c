#pragma once
#include <cmath>
#include <cstdint>
#include <span>
#include <string>

#include "core/counters.hpp"
#include "core/numerical_error.hpp"
#include "core/projection.hpp"

namespace softspike {

// The per-synapse loop the Hebbian-with-decay rules share in their spiking form: on a spike of neuron k,
// every synapse onto k applies dw_ki = eta * (hebb * x_hat_i - decay * w_ki). Returns ‖w_k‖² after the
// update; throws NumericalError, naming `rule`, when the weights stop being finite.
inline double apply_hebbian_update(const char* rule, std::uint32_t neuron, std::span<const float> pre,
                                   Projection& weights, float eta, float hebb, float decay,
                                   EventCounters& counters) {
    const std::size_t n = weights.targets();
    const std::size_t d = weights.sources();
    float* w = weights.weights().data() + neuron;
    double norm_sq = 0.0;
    for (std::size_t i = 0; i < d; ++i) {
        float& wi = w[i * n];
        wi += eta * (hebb * pre[i] - decay * wi);
        norm_sq += static_cast<double>(wi) * wi;
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

}  // namespace softspike
