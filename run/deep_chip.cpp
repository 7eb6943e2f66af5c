#include "run/deep_chip.hpp"

#include <algorithm>
#include <cmath>

#include "chip/kernel_memory.hpp"
#include "chip/synapse_memory.hpp"
#include "core/random.hpp"
#include "run/network_setup.hpp"

namespace softspike {

bool chip_changes_kernels(const ChipParams& chip) {
    return chip.weight_bits < 32 || chip.dead_synapses > 0.0 || chip.weight_noise > 0.0;
}

DeepWeights chip_kernels(const DeepWeights& learned, const ChipParams& chip, std::uint64_t seed,
                         bool learned_on_chip) {
    DeepWeights held = learned;
    if (!chip_changes_kernels(chip)) return held;
    for (std::size_t b = 0; b < held.blocks.size(); ++b) {
        Projection& kernels = held.blocks[b].kernels.weights;
        std::vector<float>& w = kernels.weights();
        if (learned_on_chip) {
            if (chip.weight_noise <= 0.0) continue;
            KernelMemory memory(chip, kernels.sources(), kernels.targets(), seed, b);
            Rng noise = Rng::stream(seed, StreamPurpose::weight_noise, 1 + b);
            add_mismatch(w, chip.weight_noise, noise);
            Rng programming = Rng::stream(seed, StreamPurpose::weight_programming, 1 + b);
            memory.store(w, programming);
            continue;
        }
        float largest = 0.0F;
        for (const float v : w) largest = std::max(largest, std::abs(v));
        ChipParams block_chip = chip;
        block_chip.weight_range = largest > 0.0F ? largest : 1.0;
        const SynapseMemory memory(block_chip, kernels.sources(), kernels.targets(), seed, b);
        Rng programming = Rng::stream(seed, StreamPurpose::weight_programming, 1 + b);
        memory.program(kernels, programming);
        if (chip.weight_noise > 0.0) {
            Rng noise = Rng::stream(seed, StreamPurpose::weight_noise, 1 + b);
            add_mismatch(w, chip.weight_noise, noise);
            memory.program(kernels, programming);
        }
    }
    return held;
}

Dataset chip_images(const Dataset& data, double input_noise, std::uint64_t seed, FrozenSet set) {
    Dataset noisy = data;
    if (input_noise <= 0.0) return noisy;
    // Image i of the test set must not share the stream of image i of the training set.
    const std::uint64_t base = set == FrozenSet::test_set ? (1ULL << 40U) : 0;
    const std::size_t n = data.pixels_per_image();
    for (std::size_t i = 0; i < data.size(); ++i) {
        Rng rng = Rng::stream(seed, StreamPurpose::input_noise, base + i);
        add_pixel_noise(std::span<float>(noisy.pixels.data() + i * n, n), input_noise, rng);
    }
    return noisy;
}

}  // namespace softspike
