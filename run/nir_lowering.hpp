#pragma once
#include "network/network_model.hpp"
#include "run/config.hpp"
#include "run/nir_graph.hpp"

namespace softspike {

// The single-layer network of `config` with the weights `model` as a NIR graph (docs/model.md §15), with the
// NIR nodes closest to each form and, as metadata, what NIR cannot express (the trace's normalisation, the
// soft-WTA's draw, escape noise, reset by subtraction, plasticity, the chip's keys):
// * stochastic form: Input -> LI (the presynaptic traces, one time constant) -> Affine (weights, biases) ->
//   Output (the drives; the population's draw from softmax(u / T) is metadata);
// * LIF form: Input -> Linear (weights) -> LIF (tau the trace's, v_leak the bias, v_threshold) -> Output, and
//   the lateral inhibition as a recurrent edge LIF -> Delay -> Linear (-J off the diagonal) -> LIF.
// Deep networks (network.layers) are refused with a ConfigError naming the key: their triangle competition and
// max pooling have no NIR node.
[[nodiscard]] NirGraph nir_graph(const Config& config, const NetworkModel& model);

}  // namespace softspike
