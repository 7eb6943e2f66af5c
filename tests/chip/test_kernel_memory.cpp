// A deep block's kernels in the chip's memory while they learn: a power-of-two grid that follows the kernels'
// largest |w| down without noise, unbiased stochastic rounding, and the dead cells of chip_kernels' draw.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "chip/kernel_memory.hpp"

using namespace softspike;

TEST_CASE("kernel memory: the smallest power-of-two step whose 2^(bits-1) - 1 steps hold the largest |w|") {
    ChipParams chip;
    chip.weight_bits = 4;  // 7 steps each side
    chip.stochastic_rounding = false;
    KernelMemory memory(chip, 3, 2, 1, 0);
    CHECK(memory.active());
    CHECK(memory.dead_cells() == 0);
    std::vector<float> w{0.9F, -0.3F, 0.05F, 0.0F, -0.6F, 0.26F};
    Rng rng(1);
    memory.store(w, rng);
    // 0.9 / 7 = 0.129: the step is 0.25 (0.125 would hold only 0.875).
    CHECK(memory.step() == 0.25);
    CHECK(w == std::vector<float>{1.0F, -0.25F, 0.0F, 0.0F, -0.5F, 0.25F});
    // The kernels shrink: the step halves, and points of the old grid stay where they are.
    std::vector<float> small{0.25F, -0.25F, 0.5F, 0.0F, -0.125F, 0.0F};
    memory.store(small, rng);
    CHECK(memory.step() == 0.125);
    CHECK(small == std::vector<float>{0.25F, -0.25F, 0.5F, 0.0F, -0.125F, 0.0F});
    ChipParams ideal;
    KernelMemory none(ideal, 3, 2, 1, 0);
    CHECK_FALSE(none.active());
    std::vector<float> same = w;
    none.store(same, rng);
    CHECK(same == w);
}

TEST_CASE("kernel memory: stochastic rounding is unbiased, so updates far below a step still move the weights") {
    ChipParams chip;
    chip.weight_bits = 3;  // 3 steps each side
    KernelMemory memory(chip, 1, 2, 1, 0);
    Rng rng(4);
    double sum = 0.0;
    const int n = 40000;
    for (int i = 0; i < n; ++i) {
        std::vector<float> w{3.0F, 1.1F};  // step 1: the second is 1 or 2
        memory.store(w, rng);
        CHECK((w[1] == 1.0F || w[1] == 2.0F));
        CHECK(w[0] == 3.0F);
        sum += w[1];
    }
    CHECK(sum / n == doctest::Approx(1.1).epsilon(0.005));
}

TEST_CASE("kernel memory: dead cells are the ones SynapseMemory draws for the same seed and stream, held at zero") {
    ChipParams chip;
    chip.dead_synapses = 0.3;
    KernelMemory memory(chip, 20, 10, 7, 2);
    ChipParams dead_only = chip;
    const SynapseMemory reference(dead_only, 20, 10, 7, 2);
    CHECK(memory.dead_cells() == 200 - reference.live_synapses());
    CHECK(memory.dead_cells() > 30);
    std::vector<float> w(200, 1.0F);
    Rng rng(1);
    memory.store(w, rng);
    std::vector<float> expected(200, 1.0F);
    reference.zero_dead(expected);
    CHECK(w == expected);
}
