#pragma once
#include <cstdint>

namespace softspike {

// The on-chip learning scenario: what a neuromorphic chip's limits do to the network (docs/model.md §9).
// The defaults are an ideal chip: float32 weights, no noise, every synapse present, no spike budget.
struct ChipParams {
    // 32: float32. 2 to 16: signed fixed point, 2^(bits-1) - 1 steps each side of zero on
    // [-weight_range, weight_range]; every weight written (initialisation, each plasticity update) is
    // rounded onto that grid, stochastically (unbiased: E[round(w)] = w) or to the nearest step.
    std::uint32_t weight_bits = 32;
    double weight_range = 1.0;
    bool stochastic_rounding = true;
    // Device mismatch: Gaussian noise, its standard deviation a fraction of the weights' RMS, added once to
    // the weights a frozen (evaluation) pass reads.
    double weight_noise = 0.0;
    // Gaussian noise on every pixel intensity (intensity units, clamped to [0, 1]) before encoding.
    double input_noise = 0.0;
    // Fraction of input synapses absent (fixed by the seed): weight 0, never updated, never counted.
    double dead_synapses = 0.0;
    // At most this many input spikes per image, the earliest (0: no limit): the presentation stops there.
    std::uint64_t spike_budget = 0;
    // 0: plasticity at every post-synaptic spike. Otherwise the learning engine applies it once per window of
    // this length (from the first possible arrival of each image), for each neuron that spiked in the
    // window, scaled by its spike count, at the traces and drive of the window's end.
    double plasticity_window_ms = 0.0;
    // Bytes per weight as stored (for memory traffic and footprint).
    [[nodiscard]] double weight_bytes() const { return weight_bits / 8.0; }
};

}  // namespace softspike
