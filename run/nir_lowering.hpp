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

// A NIR graph read back as a single-layer network: the config with what the graph sets (the population's form,
// threshold, inhibition and its delay, the traces' time constant) and the weights.
struct NirNetwork {
    Config config;
    NetworkModel model;
};

// The network a NIR graph describes, when it has one of the shapes nir_graph writes (and that other tools
// write for a single layer): Input -> [LI] -> Affine -> Output (the stochastic form, the traces' time constant
// from LI), or Input -> Linear | Affine -> LIF -> Output with an optional inhibition loop LIF -> Delay ->
// Linear -> LIF (the LIF form: threshold, inhibition = minus the loop's off-diagonal weight, its delay, biases
// from v_leak and the Affine's bias). Every other setting comes from `config`. Anything else (another node
// type, a parameter that is not uniform where the network has one value, r != tau, v_reset != 0, a loop with
// self-inhibition) is a CheckpointError naming `file`, the node, its type and what is supported.
[[nodiscard]] NirNetwork nir_network(const NirGraph& graph, const Config& config, const std::string& file);

}  // namespace softspike
