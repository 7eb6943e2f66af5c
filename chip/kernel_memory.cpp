#include "chip/kernel_memory.hpp"

#include <algorithm>
#include <cmath>

namespace softspike {

namespace {

// The dead cells only: rounding is the kernel memory's own.
ChipParams dead_only(const ChipParams& chip) {
    ChipParams out = chip;
    out.weight_bits = 32;
    return out;
}

}  // namespace

KernelMemory::KernelMemory(const ChipParams& chip, std::size_t patch, std::size_t filters, std::uint64_t seed,
                           std::uint64_t block)
    : levels_(chip.weight_bits < 32 ? (1U << (chip.weight_bits - 1U)) - 1U : 0U),
      stochastic_(chip.stochastic_rounding),
      dead_(dead_only(chip), patch, filters, seed, block),
      dead_cells_(static_cast<std::uint64_t>(patch) * filters - dead_.live_synapses()) {}

void KernelMemory::store(std::span<float> kernels, Rng& rng) {
    dead_.zero_dead(kernels);
    if (levels_ == 0) return;
    float largest = 0.0F;
    for (const float v : kernels) largest = std::max(largest, std::abs(v));
    if (largest == 0.0F) return;
    // The smallest power of two 2^e with largest <= levels * 2^e.
    int e = static_cast<int>(std::ceil(std::log2(static_cast<double>(largest) / levels_)));
    if (static_cast<double>(largest) > std::ldexp(static_cast<double>(levels_), e)) ++e;  // log2's rounding
    step_ = std::ldexp(1.0, e);
    const auto step = static_cast<float>(step_);
    const auto top = static_cast<float>(levels_);
    for (float& w : kernels) {
        const float scaled = std::clamp(w / step, -top, top);
        const float low = std::floor(scaled);
        const float up = stochastic_ ? static_cast<float>(rng.uniform() < static_cast<double>(scaled - low))
                                     : static_cast<float>(scaled - low >= 0.5F);
        w = (low + up) * step;
    }
    dead_.zero_dead(kernels);
}

}  // namespace softspike
