#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "run/deep_chip.hpp"

using namespace softspike;

namespace {

// Two blocks whose scales differ a hundredfold: 12 x 3 and 6 x 2 kernels with entries of both signs.
DeepWeights two_blocks() {
    DeepWeights w;
    for (const auto& [patch, filters, scale] : {std::tuple{12UL, 3UL, 10.0F}, {6UL, 2UL, 0.1F}}) {
        BlockWeights b;
        b.kernels.weights = Projection(patch, filters, 0);
        for (std::size_t i = 0; i < patch * filters; ++i) {
            b.kernels.weights.weights()[i] = scale * std::sin(1.7F * static_cast<float>(i) + 0.3F);
        }
        b.running_mean.assign(2, 0.25);
        b.running_variance.assign(2, 2.0);
        w.blocks.push_back(b);
    }
    return w;
}

float largest_abs(const std::vector<float>& w) {
    float m = 0.0F;
    for (const float v : w) m = std::max(m, std::abs(v));
    return m;
}

}  // namespace

TEST_CASE("an ideal chip holds a deep network's kernels unchanged") {
    const DeepWeights w = two_blocks();
    const DeepWeights held = chip_kernels(w, ChipParams{}, 1);
    CHECK_FALSE(chip_changes_kernels(ChipParams{}));
    for (std::size_t b = 0; b < 2; ++b)
        CHECK(held.blocks[b].kernels.weights.weights() == w.blocks[b].kernels.weights.weights());
}

TEST_CASE("each block's kernels are rounded onto a grid spanning its own largest |w|") {
    const DeepWeights w = two_blocks();
    ChipParams chip;
    chip.weight_bits = 4;  // 7 steps each side
    chip.stochastic_rounding = false;
    const DeepWeights held = chip_kernels(w, chip, 1);
    for (std::size_t b = 0; b < 2; ++b) {
        CAPTURE(b);
        const std::vector<float>& before = w.blocks[b].kernels.weights.weights();
        const std::vector<float>& after = held.blocks[b].kernels.weights.weights();
        const float step = largest_abs(before) / 7.0F;
        CHECK(largest_abs(after) == doctest::Approx(largest_abs(before)).epsilon(1e-6));
        for (std::size_t i = 0; i < before.size(); ++i) {
            const float steps = after[i] / step;
            CHECK(std::abs(steps - std::round(steps)) < 1e-4F);              // on the grid
            CHECK(std::abs(after[i] - before[i]) <= step / 2.0F * 1.0001F);  // the nearest step
        }
        CHECK(held.blocks[b].running_mean == w.blocks[b].running_mean);
        CHECK(held.blocks[b].running_variance == w.blocks[b].running_variance);
    }
    // Stochastic rounding: still on the grid, within one step, and reproducible from the seed.
    chip.stochastic_rounding = true;
    const DeepWeights a = chip_kernels(w, chip, 3);
    const DeepWeights again = chip_kernels(w, chip, 3);
    CHECK(a.blocks[0].kernels.weights.weights() == again.blocks[0].kernels.weights.weights());
    const float step = largest_abs(w.blocks[1].kernels.weights.weights()) / 7.0F;
    for (std::size_t i = 0; i < 12; ++i) {
        CHECK(std::abs(a.blocks[1].kernels.weights.weights()[i] - w.blocks[1].kernels.weights.weights()[i]) <
              step * 1.0001F);
    }
}

TEST_CASE("dead kernel entries are zero, drawn per block from the seed, and mismatch noise scales with each block") {
    DeepWeights w = two_blocks();
    // Equal shapes for both blocks, so that equal masks would show.
    w.blocks[1].kernels.weights = w.blocks[0].kernels.weights;
    for (float& v : w.blocks[1].kernels.weights.weights()) v *= 0.01F;
    ChipParams chip;
    chip.dead_synapses = 0.5;
    const DeepWeights held = chip_kernels(w, chip, 7);
    std::vector<bool> dead0;
    std::vector<bool> dead1;
    for (const float v : held.blocks[0].kernels.weights.weights()) dead0.push_back(v == 0.0F);
    for (const float v : held.blocks[1].kernels.weights.weights()) dead1.push_back(v == 0.0F);
    const auto count = [](const std::vector<bool>& d) { return std::count(d.begin(), d.end(), true); };
    CHECK(count(dead0) > 6);
    CHECK(count(dead0) < 30);
    CHECK(dead0 != dead1);
    const DeepWeights same = chip_kernels(w, chip, 7);
    CHECK(same.blocks[1].kernels.weights.weights() == held.blocks[1].kernels.weights.weights());

    // Noise of sd 0.2 x each block's RMS: the differences' RMS over many entries is near it in both blocks.
    DeepWeights big;
    for (const float scale : {10.0F, 0.1F}) {
        BlockWeights b;
        b.kernels.weights = Projection(200, 50, 0);
        for (std::size_t i = 0; i < 10000; ++i) b.kernels.weights.weights()[i] = scale * ((i % 2 == 0) ? 1.0F : -1.0F);
        big.blocks.push_back(b);
    }
    ChipParams noisy;
    noisy.weight_noise = 0.2;
    const DeepWeights mismatched = chip_kernels(big, noisy, 1);
    for (std::size_t b = 0; b < 2; ++b) {
        const float scale = b == 0 ? 10.0F : 0.1F;
        double sq = 0.0;
        for (std::size_t i = 0; i < 10000; ++i) {
            const double d =
                mismatched.blocks[b].kernels.weights.weights()[i] - big.blocks[b].kernels.weights.weights()[i];
            sq += d * d;
        }
        CHECK(std::sqrt(sq / 10000.0) == doctest::Approx(0.2 * scale).epsilon(0.03));  // 10,000 draws: 0.7 % sd
    }
}

TEST_CASE("pixel noise: the stated sd, clamped to [0, 1], the same on every run, other streams for the test set") {
    Dataset data;
    data.rows = 10;
    data.cols = 10;
    data.pixels.assign(2 * 100, 0.5F);
    data.labels = {1, 2};
    const Dataset noisy = chip_images(data, 0.1, 4, FrozenSet::training_set);
    double sq = 0.0;
    for (const float p : noisy.pixels) sq += (p - 0.5) * (p - 0.5);
    CHECK(std::sqrt(sq / 200.0) == doctest::Approx(0.1).epsilon(0.2));  // 200 draws: 5 % sd
    CHECK(noisy.labels == data.labels);
    CHECK(chip_images(data, 0.1, 4, FrozenSet::training_set).pixels == noisy.pixels);
    CHECK(chip_images(data, 0.1, 4, FrozenSet::test_set).pixels != noisy.pixels);
    // Two identical images get different draws.
    CHECK(!std::equal(noisy.pixels.begin(), noisy.pixels.begin() + 100, noisy.pixels.begin() + 100));
    const Dataset wild = chip_images(data, 10.0, 4, FrozenSet::training_set);
    std::size_t at_bounds = 0;
    for (const float p : wild.pixels) {
        CHECK(p >= 0.0F);
        CHECK(p <= 1.0F);
        at_bounds += (p == 0.0F || p == 1.0F) ? 1 : 0;
    }
    CHECK(at_bounds > 170);  // |N(0, 10)| > 0.5 with probability 0.96
    CHECK(chip_images(data, 0.0, 4, FrozenSet::training_set).pixels == data.pixels);
}
