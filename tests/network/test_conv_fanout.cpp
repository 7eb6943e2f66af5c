#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/random.hpp"
#include "network/conv_fanout.hpp"
#include "rate/conv2d.hpp"

using namespace softspike;

TEST_CASE("a spike reaches the output positions whose windows read its pixel, padding as the rate form reads it") {
    Conv2dShape s{.channels = 1, .height = 3, .width = 3, .kernel = 3, .stride = 1, .padding = 1, .mode = Padding::zero};
    const ConvFanout zero(s);
    // Row 0 is read by output row 0 at offset 1 and output row 1 at offset 0; row 1 by all three output rows.
    CHECK(zero.rows_reading(0).size() == 2);
    CHECK(zero.rows_reading(0)[0].out == 0);
    CHECK(zero.rows_reading(0)[0].offset == 1);
    CHECK(zero.reach(0, 0) == 4);
    CHECK(zero.reach(1, 1) == 9);
    CHECK(zero.reach(0, 1) == 6);
    // Reflect: padded row -1 reads row 1 and padded row 3 reads row 1 too (2 (3 - 1) - 3), so row 1 is read five
    // times, rows 0 and 2 twice each: every window entry, 9 positions x 9, is read from some pixel.
    s.mode = Padding::reflect;
    const ConvFanout reflect(s);
    CHECK(reflect.rows_reading(1).size() == 5);
    CHECK(reflect.reach(1, 1) == 25);
    CHECK(reflect.reach(0, 0) == 4);
    std::size_t total = 0;
    for (std::size_t y = 0; y < 3; ++y) {
        for (std::size_t x = 0; x < 3; ++x) total += reflect.reach(y, x);
    }
    CHECK(total == 81);
    s.kernel = 6;
    CHECK_THROWS_AS(ConvFanout{s}, std::invalid_argument);
}

TEST_CASE("delivering every pixel as a spike of its value gives the rate form's convolution, with exact counts") {
    for (const Padding mode : {Padding::zero, Padding::reflect}) {
        const Conv2dShape s{.channels = 2, .height = 5, .width = 6, .kernel = 3, .stride = 2, .padding = 1, .mode = mode};
        const std::size_t filters = 4;
        Rng rng(11);
        std::vector<float> image(s.channels * s.height * s.width);
        for (float& v : image) v = static_cast<float>(rng.uniform());
        std::vector<float> kernels(s.patch_size() * filters);
        for (float& w : kernels) w = static_cast<float>(rng.uniform() - 0.5);
        kernels[5] = 0.0F;  // patch row 1 = (channel 0, offset (0, 1)), filter 1: a zero weight
        std::vector<float> patches(s.positions() * s.patch_size());
        std::vector<float> expected(s.positions() * filters);
        conv2d(image, kernels, filters, s, patches, expected);

        const ConvFanout fanout(s);
        std::vector<float> drive(s.positions() * filters, 0.0F);
        std::uint64_t events = 0;
        std::uint64_t nonzero = 0;
        std::size_t pairs = 0;
        for (std::size_t c = 0; c < s.channels; ++c) {
            for (std::size_t y = 0; y < s.height; ++y) {
                for (std::size_t x = 0; x < s.width; ++x) {
                    events += fanout.deliver(c, y, x, image[(c * s.height + y) * s.width + x], kernels.data(), filters,
                                             drive.data(), nonzero);
                    pairs += fanout.reach(y, x);
                }
            }
        }
        for (std::size_t i = 0; i < drive.size(); ++i) CHECK(drive[i] == doctest::Approx(expected[i]).epsilon(1e-5));
        CHECK(events == pairs * filters);
        // The zero weight is used once per delivery from channel 0 through offset (0, 1).
        std::size_t uses = 0;
        for (std::size_t x = 0; x < s.width; ++x) {
            for (const auto& cr : fanout.cols_reading(x)) uses += cr.offset == 1 ? 1 : 0;
        }
        std::size_t row_uses = 0;
        for (std::size_t y = 0; y < s.height; ++y) {
            for (const auto& rr : fanout.rows_reading(y)) row_uses += rr.offset == 0 ? 1 : 0;
        }
        CHECK(nonzero == events - uses * row_uses);
        if (mode == Padding::zero) {
            // Zero padding: only the in-input window entries are delivered.
            std::size_t inside = 0;
            for (float v : patches) inside += v != 0.0F ? 1 : 0;
            CHECK(pairs == inside);
        } else {
            CHECK(pairs == s.positions() * s.patch_size());  // reflect: every window entry is some pixel
        }
        std::uint64_t ignored = 0;
        CHECK_THROWS_AS((void)fanout.deliver(2, 0, 0, 1.0F, kernels.data(), filters, drive.data(), ignored),
                        std::out_of_range);
    }
}
