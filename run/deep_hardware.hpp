#pragma once
#include <cstdint>
#include <vector>

#include "chip/chip_params.hpp"
#include "chip/hardware_figures.hpp"
#include "rate/deep_rate_network.hpp"

namespace softspike {

// What one phase of a deep network costs in hardware terms, block by block and in all (docs/model.md §10).
struct DeepHardware {
    std::vector<HardwareFigures> blocks;
    HardwareFigures total;
};

// The figures of each block of `network` from the counters of one phase over `images` images. Per block:
// synaptic events = every kernel multiply-accumulate (each reads its weight, as a dense layer's do);
// Effective_MACs = the forward MACs with a nonzero input + the Hebbian product's MACs; plasticity updates =
// the synapse read-modify-writes (every synapse once per batch); membrane updates = one drive u_k per channel
// and position; weight memory at chip.weight_bits (a read per synaptic event and per update, a write per
// update); Dense = every forward MAC; Footprint = the kernels at chip.weight_bits + BatchNorm's running mean and
// variance in float32; ConnectionSparsity = zero kernel weights (pruned ones included) at the phase's end;
// ActivationSparsity = outputs exactly 0 after pooling. No spikes, traces or time steps. The total sums the
// counts and weighs the sparsities by synapses and by outputs.
DeepHardware deep_hardware(const DeepRateNetwork& network, const std::vector<RateCounters>& counters,
                           std::uint64_t images, const ChipParams& chip);

// What both forms share per block: the figures' image count, the kernels' footprint and connection sparsity.
HardwareFigures block_memory_figures(const ConvBlock& block, std::uint64_t images, const ChipParams& chip);

// Adds a block's figures to the total (counts, traffic, Dense, footprint); `synapses` and `zero_weights`
// gather the total's connection sparsity.
void add_block(DeepHardware& out, const HardwareFigures& block, const ConvBlock& kernels, std::uint64_t& synapses,
               std::uint64_t& zero_weights);

}  // namespace softspike
