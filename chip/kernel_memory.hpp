#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "chip/chip_params.hpp"
#include "chip/synapse_memory.hpp"
#include "core/random.hpp"

namespace softspike {

// A deep block's kernels in a chip's synapse memory while they learn (docs/model.md §13, "Learning at limited
// precision"): signed fixed point of weight_bits, 2^(bits-1) - 1 steps each side of zero, with one power-of-two
// step per block (block floating point, as chips give a synapse group one weight exponent). The step is the
// smallest power of two whose grid holds the block's largest |w|: kernels start at norm init_radius and shrink
// towards 1 while they learn, and a fixed range would leave their last values a few steps wide. Halving the
// step is exact (every point of the old grid is one of the new), so the scale follows the kernels down without
// noise. Every store rounds the whole kernel onto the grid, stochastically (unbiased: updates far smaller than
// a step still move the weights on average) or to the nearest step, and holds the block's dead cells at zero
// (the cells chip_kernels makes dead for the same seed and block).
class KernelMemory {
public:
    // kernels are patch x filters; the dead cells come from (seed, block) as chip_kernels draws them.
    KernelMemory(const ChipParams& chip, std::size_t patch, std::size_t filters, std::uint64_t seed, std::uint64_t block);

    // True when the chip changes what the kernels hold (fewer than 32 bits, or dead cells).
    [[nodiscard]] bool active() const { return levels_ > 0 || dead_cells_ > 0; }
    [[nodiscard]] std::uint64_t dead_cells() const { return dead_cells_; }
    // The grid's step after the last store (0: float32).
    [[nodiscard]] double step() const { return step_; }

    // Rounds every entry onto the grid of the kernels' own largest |w| and zeroes the dead cells.
    void store(std::span<float> kernels, Rng& rng);

private:
    std::uint32_t levels_ = 0;  // 2^(bits-1) - 1; 0: float32
    bool stochastic_ = true;
    double step_ = 0.0;
    SynapseMemory dead_;
    std::uint64_t dead_cells_ = 0;
};

}  // namespace softspike
