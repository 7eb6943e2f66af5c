#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chip/chip_description.hpp"

namespace softspike {

// One layer as the cores must hold it: `neurons` neurons, each reading `fan_in` inputs through one synapse of
// `weight_bits` bits each, plus, for a LIF soft-WTA, one inhibitory axon per core and one inhibitory synapse
// per neuron (the lateral inhibition delivered as one shared input, docs/model.md §16).
struct LayerDemand {
    std::string name;  // for messages and reports
    std::uint64_t neurons = 0;
    std::uint64_t fan_in = 0;
    unsigned weight_bits = 32;
    bool lateral_inhibition = false;
};

// What one phase sent, for the packet counts: spikes into the layer, spikes out of it, and over how many
// images.
struct LayerTraffic {
    std::uint64_t input_spikes = 0;
    std::uint64_t output_spikes = 0;
    std::uint64_t images = 0;
};

// A layer partitioned onto cores: neurons packed in order, as many per core as every limit allows.
struct CoreMapping {
    std::string layer;
    std::uint64_t neurons_per_core = 0;  // on every core but perhaps the last
    std::uint64_t cores_used = 0;
    std::uint64_t chips_used = 0;  // cores_used over the chip's cores, rounded up
    std::string binding_limit;     // the chip key that set neurons_per_core
    // The fullest core (the first): its axons, synapses and synaptic memory, and the memory's fraction.
    std::uint64_t axons_per_core = 0;
    std::uint64_t synapses_per_core = 0;
    std::uint64_t memory_bytes_per_core = 0;
    double memory_fraction = 0.0;
    // Spike packets delivered to cores, per phase (divide by images for per image): every input spike to each
    // core of the layer; every output spike to each other core of the layer (the lateral inhibition, LIF
    // form only) and once out of the layer (to the read-out).
    std::uint64_t input_packets = 0;
    std::uint64_t inhibition_packets = 0;
    std::uint64_t output_packets = 0;
    std::uint64_t images = 0;
    bool lateral_inhibition = false;  // the layer's: output spikes inhibit the other cores
    double packet_pj = 0.0;  // the chip's, for the energy of the packets
    std::uint64_t steps_to_decision = 0;  // time steps of one presentation: the read-out decides at its end

    [[nodiscard]] std::uint64_t packets() const { return input_packets + inhibition_packets + output_packets; }
};

// Packs `layer` onto the cores of `chip`, packets not yet counted. A neuron that no core can hold (fan-in
// beyond axons_per_core, synapses beyond synapses_per_core, or weights beyond the synaptic memory) is a
// ConfigError naming the chip (`source`), the key and both numbers. `presentation_ms` gives the steps to a
// decision.
[[nodiscard]] CoreMapping map_layer(const LayerDemand& layer, const ChipDescription& chip, double presentation_ms,
                                    const std::string& source);

// The packets one phase's spikes send on `mapping` (replacing any counted before).
void count_packets(CoreMapping& mapping, const LayerTraffic& traffic);

}  // namespace softspike
