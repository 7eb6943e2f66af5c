#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "chip/chip_params.hpp"
#include "core/counters.hpp"
#include "core/projection.hpp"
#include "core/random.hpp"

namespace softspike {

// What the chip's synapse memory does to the weights of a projection: keeps them on the fixed-point grid
// of ChipParams::weight_bits (stochastic or nearest rounding) and keeps absent (dead) synapses at zero.
// Applied to the whole projection when it is programmed and to one neuron's column after each plasticity
// update. With float32 weights and no dead synapses it does nothing.
class SynapseMemory {
public:
    // The dead synapses are drawn from (seed, dead_synapses, stream), so every run with that seed has the same
    // ones; `stream` tells apart the projections of one network (a deep network's blocks).
    SynapseMemory(const ChipParams& chip, std::size_t inputs, std::size_t neurons, std::uint64_t seed,
                  std::uint64_t stream = 0);

    // Rounds every weight onto the grid and zeroes the dead synapses.
    void program(Projection& weights, Rng& rng) const;
    // The same for neuron k's incoming synapses, after a plasticity update wrote them; the updates of dead
    // synapses did not happen on the chip and are taken back from the plasticity count.
    void after_update(Projection& weights, std::uint32_t k, Rng& rng, EventCounters& counters) const;

    // Zeroes the dead synapses of weights laid out as the projection's (inputs x neurons, source-major).
    void zero_dead(std::span<float> weights) const;

    // Synapses present in an input's row (the fan-out a spike of that input reaches).
    [[nodiscard]] std::uint32_t live_in_row(std::uint32_t source) const {
        return dead_in_row_.empty() ? neurons_ : neurons_ - dead_in_row_[source];
    }
    [[nodiscard]] std::uint64_t live_synapses() const { return live_; }
    [[nodiscard]] bool quantised() const { return step_ > 0.0F; }
    [[nodiscard]] float step() const { return step_; }
    [[nodiscard]] bool active() const { return quantised() || !dead_.empty(); }
    // One weight rounded onto the grid (for tests and for loaded checkpoints).
    [[nodiscard]] float round(float w, Rng& rng) const;

private:
    std::uint32_t neurons_;
    float step_ = 0.0F;  // 0: float32, no grid
    float range_ = 0.0F;
    bool stochastic_ = true;
    std::vector<std::uint8_t> dead_;  // inputs x neurons, source-major; empty: none dead
    std::vector<std::uint32_t> dead_in_row_;
    std::vector<std::uint32_t> dead_in_column_;
    std::uint64_t live_ = 0;
};

// Device mismatch (ChipParams::weight_noise): Gaussian noise of sd `fraction` times the weights' RMS added to
// every weight, drawn from `rng` in weight order.
void add_mismatch(std::vector<float>& weights, double fraction, Rng& rng);

}  // namespace softspike
