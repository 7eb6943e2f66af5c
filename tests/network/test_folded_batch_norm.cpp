#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "network/conv_fanout.hpp"
#include "network/folded_batch_norm.hpp"
#include "rate/batch_norm.hpp"
#include "rate/conv2d.hpp"

using namespace softspike;

TEST_CASE("raw pixels delivered as spikes through BatchNorm folded into the kernels give the rate form's "
          "normalised convolution, at every position and for both paddings") {
    for (const Padding mode : {Padding::zero, Padding::reflect}) {
        CAPTURE(static_cast<int>(mode));
        const Conv2dShape s{.channels = 3, .height = 6, .width = 5, .kernel = 3, .stride = 2, .padding = 1, .mode = mode};
        const std::size_t filters = 4;
        Rng rng(5);
        std::vector<float> image(s.channels * s.height * s.width);
        for (float& v : image) v = static_cast<float>(rng.uniform());
        std::vector<float> kernels(s.patch_size() * filters);
        for (float& w : kernels) w = static_cast<float>(rng.uniform() - 0.5);
        // Frozen statistics far from (0, 1), so that a missing scale or shift, or a bias at the wrong taps,
        // shows at the edges as well as inside.
        BatchNorm norm(s.channels);
        const std::vector<double> mean{0.4, -1.5, 2.0};
        const std::vector<double> variance{0.25, 4.0, 0.09};
        for (std::size_t c = 0; c < s.channels; ++c) {
            norm.running_mean()[c] = mean[c];
            norm.running_variance()[c] = variance[c];
        }
        std::vector<float> normalised = image;
        norm.apply(normalised, 1, false);
        std::vector<float> patches(s.positions() * s.patch_size());
        std::vector<float> expected(s.positions() * filters);
        conv2d(normalised, kernels, filters, s, patches, expected);

        const FoldedConv folded = fold_batch_norm(s, kernels, filters, mean, variance);
        std::vector<float> drive = folded.bias;
        const ConvFanout fanout(s);
        std::uint64_t nonzero = 0;
        for (std::size_t c = 0; c < s.channels; ++c) {
            for (std::size_t y = 0; y < s.height; ++y) {
                for (std::size_t x = 0; x < s.width; ++x) {
                    fanout.deliver(c, y, x, image[(c * s.height + y) * s.width + x], folded.kernels.data(), filters,
                                   drive.data(), nonzero);
                }
            }
        }
        double largest = 0.0;
        for (std::size_t i = 0; i < drive.size(); ++i) {
            CAPTURE(i);
            CHECK(drive[i] == doctest::Approx(expected[i]).epsilon(1e-5).scale(10.0));
            largest = std::max(largest, std::abs(static_cast<double>(expected[i])));
        }
        CHECK(largest > 1.0);  // the comparison is not between near-zero drives
        // The corner's bias differs from the centre's with zero padding only (fewer taps read the image).
        const bool edges_differ = folded.bias[0] != folded.bias[(s.out_width() + 1) * filters];
        CHECK(edges_differ == (mode == Padding::zero));
    }
    // Without BatchNorm the kernels pass unchanged and no bias is added.
    const Conv2dShape s{.channels = 1, .height = 4, .width = 4, .kernel = 3, .padding = 1};
    const std::vector<float> kernels(9 * 2, 0.5F);
    const FoldedConv plain = fold_batch_norm(s, kernels, 2, {}, {});
    CHECK(plain.kernels == kernels);
    CHECK(plain.bias == std::vector<float>(16 * 2, 0.0F));
}
