#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chip/chip_params.hpp"
#include "core/counters.hpp"
#include "core/projection.hpp"

namespace softspike {

// The network as hardware sizes it.
struct NetworkShape {
    std::uint64_t inputs = 0;
    std::uint64_t neurons = 0;
    double presentation_ms = 40.0;
    bool lif = false;  // LIF neurons keep an inhibition variable each
};

// What one phase (training or a frozen pass) costs in hardware terms: the exact counts, the memory traffic
// they imply at the chip's weight precision, and NeuroBench's metrics (Yik et al. 2025) defined below.
struct HardwareFigures {
    std::uint64_t images = 0;
    EventCounters counts;
    // Derived for time-stepped chips (Loihi): neurons x 1-ms steps of every presentation.
    std::uint64_t neuron_steps = 0;
    // Weight memory traffic at ChipParams::weight_bits: a read per synaptic event and per plasticity
    // update (read-modify-write), a write per plasticity update.
    double weight_read_bytes = 0.0;
    double weight_write_bytes = 0.0;
    // NeuroBench. Dense: the multiply-accumulates of one dense pass of the layer (inputs x neurons) per image.
    std::uint64_t dense_ops = 0;
    // Footprint: weights at their precision (dense storage, dead synapses included) + float32 biases +
    // float32 state buffers (input traces, membranes, and inhibition for LIF).
    std::uint64_t footprint_bytes = 0;
    // ConnectionSparsity: the fraction of weights that are zero (dead synapses included) at the phase's end.
    double connection_sparsity = 0.0;
    // ActivationSparsity: 1 - spikes / (neurons x 1-ms steps), over input and soft-WTA neurons together.
    double activation_sparsity = 0.0;
};

HardwareFigures hardware_figures(const EventCounters& counts, std::uint64_t images, const NetworkShape& shape,
                                 const ChipParams& chip, const Projection& weights);

// The priced categories of a cost table and their counts in `figures`, in a fixed order (names as in the
// cost table files: input_spike, output_spike, synaptic_event, effective_ac, effective_mac, membrane_update,
// plasticity_update, trace_update, bias_update, weight_read_byte, weight_write_byte, neuron_step).
std::vector<std::pair<std::string, double>> cost_categories(const HardwareFigures& figures);

// 1-ms steps per presentation (for the derived counts of time-stepped chips).
std::uint64_t steps_per_image(double presentation_ms);

}  // namespace softspike
