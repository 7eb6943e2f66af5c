// What the classifier tests of rate/ share: small labelled images, small deep blocks, and the check of a pixel
// gradient against central differences of the loss.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/dataset.hpp"
#include "core/random.hpp"
#include "rate/conv_block.hpp"
#include "rate/pixel_classifier.hpp"

namespace softspike::testing {

// Images of 1 x rows x cols in (0.05, 0.95), three classes: class c is brighter (0.7 against 0.3, plus noise of
// sd `noise`) on its own third of the pixels, taken in row-major order.
inline Dataset banded_images(std::size_t n, std::uint64_t seed, std::size_t rows, std::size_t cols, double noise) {
    Dataset data;
    data.channels = 1;
    data.rows = rows;
    data.cols = cols;
    data.classes = 3;
    Rng rng(seed);
    const std::size_t pixels = rows * cols;
    for (std::size_t s = 0; s < n; ++s) {
        const auto label = static_cast<std::uint8_t>(s % 3);
        for (std::size_t p = 0; p < pixels; ++p) {
            const double base = p * 3 / pixels == label ? 0.7 : 0.3;
            data.pixels.push_back(static_cast<float>(std::clamp(base + noise * rng.normal(), 0.05, 0.95)));
        }
        data.labels.push_back(label);
    }
    return data;
}

// Two conv blocks on 1 x 8 x 8 images with every backward path between them: reflect and zero padding, triangle
// powers `first_power` and 1.4, max pooling and average pooling with padding. 5 x 3 x 3 = 45 features.
inline std::vector<ConvBlockParams> two_small_blocks(double first_power) {
    std::vector<ConvBlockParams> blocks(2);
    blocks[0].filters = 4;
    blocks[0].kernel = 3;
    blocks[0].padding = 1;
    blocks[0].padding_mode = Padding::reflect;
    blocks[0].triangle_power = first_power;
    blocks[0].init_radius = 1.0;
    blocks[0].pool = PoolParams{PoolKind::max, 2, 2, 0};
    blocks[1].filters = 5;
    blocks[1].kernel = 3;
    blocks[1].padding = 1;
    blocks[1].padding_mode = Padding::zero;
    blocks[1].triangle_power = 1.4;
    blocks[1].init_radius = 1.0;
    blocks[1].pool = PoolParams{PoolKind::average, 2, 2, 1};
    return blocks;
}

// The cross-entropy of one image under `model`.
inline double loss_of(const PixelClassifier& model, const std::vector<float>& image, std::uint8_t label) {
    std::vector<float> gradient(image.size());
    std::vector<std::uint8_t> predicted(1);
    std::vector<float> loss(1);
    const std::vector<std::uint8_t> labels = {label};
    model.loss_gradients(image, 1, labels, gradient, predicted, loss);
    return loss[0];
}

// The analytic pixel gradient of the first `images` of `data` against central differences (step h) of the
// loss, pixel by pixel, within 3 % of the gradient's largest entry.
inline void check_pixel_gradient(const PixelClassifier& model, const Dataset& data, std::size_t images, float h) {
    const std::size_t d = data.pixels_per_image();
    for (std::size_t s = 0; s < images; ++s) {
        CAPTURE(s);
        const std::vector<float> image(data.image(s).begin(), data.image(s).end());
        std::vector<float> gradient(d);
        std::vector<std::uint8_t> predicted(1);
        const std::vector<std::uint8_t> labels = {data.labels[s]};
        model.loss_gradients(image, 1, labels, gradient, predicted, {});
        double scale = 0.0;
        for (const float g : gradient) scale = std::max(scale, static_cast<double>(std::abs(g)));
        REQUIRE(scale > 1e-4);  // a gradient of 0 would pass any comparison
        for (std::size_t p = 0; p < d; ++p) {
            std::vector<float> up = image;
            std::vector<float> down = image;
            up[p] += h;
            down[p] -= h;
            const double numeric = (loss_of(model, up, labels[0]) - loss_of(model, down, labels[0])) / (2.0 * h);
            CHECK(gradient[p] == doctest::Approx(numeric).epsilon(0.03).scale(scale));
        }
    }
}

}  // namespace softspike::testing
