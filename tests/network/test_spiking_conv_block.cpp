#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "core/systematic_sampling.hpp"
#include "network/spiking_conv_block.hpp"

using namespace softspike;

TEST_CASE("systematic quantisation fires floor or ceil of v / q per unit and v / q on average over the start") {
    const std::vector<float> values{0.0F, 0.35F, 1.2F, 0.0F, 2.05F, 0.4F};
    const double q = 0.5;
    std::vector<double> mean(values.size(), 0.0);
    const int starts = 4000;
    for (int j = 0; j < starts; ++j) {
        std::vector<std::uint32_t> spikes;
        const double start = (j + 0.5) / starts;
        const std::size_t fired = systematic_quantise(values, q, start, spikes);
        CHECK(fired == spikes.size());
        // 8.0 units in all: exactly 8 spikes whatever the start (the total is an integer).
        CHECK(fired == 8);
        std::vector<int> count(values.size(), 0);
        for (std::size_t k = 0; k < spikes.size(); ++k) {
            if (k > 0) CHECK(spikes[k] >= spikes[k - 1]);
            ++count[spikes[k]];
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double exact = values[i] / q;
            CHECK(count[i] >= std::floor(exact));
            CHECK(count[i] <= std::ceil(exact));
            mean[i] += count[i];
        }
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        CHECK(mean[i] / starts == doctest::Approx(values[i] / q).epsilon(1e-3));
    }
}

namespace {

// 1 channel of 4 x 4, two 3 x 3 filters, zero padding 1: a corner pixel reaches 4 positions, an edge pixel 6,
// an inner pixel 9.
SpikingConvParams small(double input_quantum) {
    SpikingConvParams p;
    p.shape = Conv2dShape{.channels = 1, .height = 4, .width = 4, .kernel = 3, .stride = 1, .padding = 1};
    p.filters = 2;
    p.triangle_power = 1.0;
    p.pool = PoolParams{PoolKind::max, 2, 2, 0};
    p.input_quantum = input_quantum;
    p.output_quantum = 0.25;
    return p;
}

std::vector<float> ramp_kernels() {
    std::vector<float> w(9 * 2);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.1F * static_cast<float>(i % 7) - 0.2F;
    return w;
}

}  // namespace

TEST_CASE("a spiking conv block counts each spike's synaptic events as positions reached x filters") {
    std::vector<float> kernels = ramp_kernels();
    const SpikingConvBlock block(small(1.0), kernels, {}, {});
    std::vector<float> drive;
    SpikingBlockCounters c;
    // Units: 0 is the corner (0, 0), 5 the inner pixel (1, 1) (twice), 1 the edge pixel (0, 1).
    const std::vector<std::uint32_t> spikes{0, 1, 5, 5};
    block.integrate(spikes, drive, c);
    CHECK(c.events.input_spikes == 4);
    CHECK(c.events.synaptic_events == (4 + 6 + 9 + 9) * 2);
    // Weights 0.1 (i % 7) - 0.2 are zero at i = 2, 9, 16: kernel row (tap) 1 filter 0, row 4 filter 1, row 8
    // filter 0. The corner is read through taps 0, 1, 3, 4 (two zeros), the edge pixel through taps 0-5 (two),
    // the inner pixel through all nine (three).
    CHECK(c.events.effective_acs == (8 - 2) + (12 - 2) + 2 * (18 - 3));
    CHECK(c.events.membrane_updates == 16 * 2);
    std::vector<float> pooled;
    block.activate(drive, pooled);
    CHECK(pooled.size() == 2 * 2 * 2);
    std::vector<std::uint32_t> out;
    block.fire(pooled, 0.5, out, c);
    CHECK(c.events.output_spikes == out.size());
    CHECK(c.outputs == 8);
    std::size_t silent = 0;
    for (std::size_t u = 0; u < pooled.size(); ++u) silent += std::count(out.begin(), out.end(), u) == 0 ? 1 : 0;
    CHECK(c.silent_outputs == silent);
}

TEST_CASE("the drive from an image's spikes is the drive from its values, in expectation over the start, and a "
          "wrong spike value breaks it") {
    const std::vector<float> kernels = ramp_kernels();
    std::vector<float> image(16);
    for (std::size_t i = 0; i < image.size(); ++i) image[i] = 0.05F * static_cast<float>((i * 5) % 16);
    const std::vector<double> mean{0.3};
    const std::vector<double> variance{0.5};
    const double q = 0.1;
    const SpikingConvBlock block(small(q), kernels, mean, variance);
    std::vector<float> exact;
    block.integrate_values(image, exact);
    std::vector<double> average(exact.size(), 0.0);
    const int starts = 2000;
    std::vector<float> drive;
    SpikingBlockCounters c;
    for (int j = 0; j < starts; ++j) {
        std::vector<std::uint32_t> spikes;
        systematic_quantise(image, q, (j + 0.5) / starts, spikes);
        block.integrate(spikes, drive, c);
        for (std::size_t i = 0; i < drive.size(); ++i) average[i] += drive[i];
    }
    for (std::size_t i = 0; i < exact.size(); ++i) {
        CAPTURE(i);
        CHECK(average[i] / starts == doctest::Approx(exact[i]).epsilon(1e-3).scale(1.0));
    }
    // Spikes drawn at one value but delivered at another are off by their ratio.
    const SpikingConvBlock wrong(small(2 * q), kernels, mean, variance);
    std::vector<std::uint32_t> spikes;
    systematic_quantise(image, q, 0.5, spikes);
    wrong.integrate(spikes, drive, c);
    double off = 0.0;
    for (std::size_t i = 0; i < exact.size(); ++i) off = std::max(off, std::abs(static_cast<double>(drive[i] - exact[i])));
    CHECK(off > 0.1);
}
