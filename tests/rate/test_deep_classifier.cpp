#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/random.hpp"
#include "rate/adversarial.hpp"
#include "rate/deep_classifier.hpp"
#include "readout/linear_readout.hpp"

using namespace softspike;

namespace {

constexpr TensorShape kInput{1, 8, 8};

// Two blocks with every backward path: reflect and zero padding, BatchNorm with running statistics away from
// (0, 1), triangle powers below, at and above 1, max and average pooling (with padding).
DeepRateNetwork toy_network(double first_power) {
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
    DeepRateNetwork network(kInput, blocks, 3);
    Rng rng(4);
    for (std::size_t i = 0; i < network.depth(); ++i) {
        BatchNorm& norm = network.block(i).batch_norm();
        for (double& m : norm.running_mean()) m = 0.2 * rng.normal();
        for (double& v : norm.running_variance()) v = 0.5 + rng.uniform();
    }
    return network;
}

// Images in (0.05, 0.95) whose class (of 3) is the brightest third of their rows.
std::vector<float> toy_images(std::size_t n, std::vector<std::uint8_t>& labels, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<float> pixels;
    labels.clear();
    for (std::size_t s = 0; s < n; ++s) {
        const auto label = static_cast<std::uint8_t>(s % 3);
        for (std::size_t y = 0; y < 8; ++y) {
            for (std::size_t x = 0; x < 8; ++x) {
                const double base = y * 3 / 8 == label ? 0.7 : 0.3;
                pixels.push_back(static_cast<float>(std::clamp(base + 0.15 * rng.normal(), 0.05, 0.95)));
            }
        }
        labels.push_back(label);
    }
    return pixels;
}

// The network's features (its own frozen run) and a read-out fitted on them.
struct Fitted {
    RateVectors features;
    LinearReadout readout;
};

Fitted fit(DeepRateNetwork& network, const std::vector<float>& pixels, const std::vector<std::uint8_t>& labels) {
    std::vector<float> features;
    std::vector<RateCounters> counters;
    network.run(pixels, labels.size(), features, counters);
    Fitted f;
    f.features = RateVectors(labels.size(), network.feature_count());
    f.features.counts = features;
    LinearReadoutParams p;
    p.l2_candidates.clear();
    p.l2 = 1e-2;
    f.readout.fit(f.features, labels, 3, p, 1);
    return f;
}

double loss_of(const PixelClassifier& model, const std::vector<float>& image, std::uint8_t label) {
    std::vector<float> gradient(image.size());
    std::vector<std::uint8_t> predicted(1);
    std::vector<float> loss(1);
    const std::vector<std::uint8_t> labels = {label};
    model.loss_gradients(image, 1, labels, gradient, predicted, loss);
    return loss[0];
}

}  // namespace

TEST_CASE("the deep classifier predicts what its read-out predicts on the network's own features") {
    std::vector<std::uint8_t> labels;
    const std::vector<float> pixels = toy_images(90, labels, 7);
    DeepRateNetwork network = toy_network(0.7);
    const Fitted f = fit(network, pixels, labels);
    const DeepClassifier model(network, f.readout);
    CHECK(model.pixels_per_image() == 64);
    std::vector<std::uint8_t> predicted(labels.size());
    model.predict(pixels, labels.size(), predicted);
    CHECK(predicted == f.readout.predict(f.features));
    std::vector<float> gradient(pixels.size());
    std::vector<std::uint8_t> from_gradient(labels.size());
    model.loss_gradients(pixels, labels.size(), labels, gradient, from_gradient, {});
    CHECK(predicted == from_gradient);
    CHECK(classifier_accuracy(model, pixels, labels) > 0.6);
    LinearReadout wrong;
    RateVectors narrow(3, 2);
    wrong.fit(narrow, std::vector<std::uint8_t>{0, 1, 2}, 3, LinearReadoutParams{}, 1);
    CHECK_THROWS_AS(DeepClassifier(network, wrong), std::invalid_argument);
}

TEST_CASE("the deep classifier's pixel gradient equals central differences of its loss") {
    std::vector<std::uint8_t> labels;
    const std::vector<float> pixels = toy_images(90, labels, 7);
    for (const double power : {0.7, 1.0}) {
        CAPTURE(power);
        DeepRateNetwork network = toy_network(power);
        const DeepClassifier model(network, fit(network, pixels, labels).readout);
        for (std::size_t s = 0; s < 3; ++s) {
            const std::vector<float> image(pixels.begin() + static_cast<std::ptrdiff_t>(s * 64),
                                           pixels.begin() + static_cast<std::ptrdiff_t>((s + 1) * 64));
            std::vector<float> gradient(64);
            std::vector<std::uint8_t> predicted(1);
            model.loss_gradients(image, 1, std::vector<std::uint8_t>{labels[s]}, gradient, predicted, {});
            double scale = 0.0;
            for (const float g : gradient) scale = std::max(scale, static_cast<double>(std::abs(g)));
            REQUIRE(scale > 1e-4);  // a gradient of 0 would pass any comparison
            for (std::size_t p = 0; p < 64; ++p) {
                constexpr float h = 1e-3F;
                std::vector<float> up = image;
                std::vector<float> down = image;
                up[p] += h;
                down[p] -= h;
                const double numeric = (loss_of(model, up, labels[s]) - loss_of(model, down, labels[s])) / (2.0 * h);
                CHECK(gradient[p] == doctest::Approx(numeric).epsilon(0.03).scale(scale));
            }
        }
    }
}

TEST_CASE("attacks through the deep classifier stay in the ball and lower its accuracy") {
    std::vector<std::uint8_t> labels;
    const std::vector<float> pixels = toy_images(90, labels, 7);
    DeepRateNetwork network = toy_network(0.7);
    const DeepClassifier model(network, fit(network, pixels, labels).readout);
    AttackParams params;
    params.kind = AttackKind::pgd;
    params.epsilon = 0.2;
    const std::vector<float> attacked = attack_images(model, pixels, labels, params);
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        CHECK(std::abs(attacked[i] - pixels[i]) <= 0.2F + 1e-6F);
        CHECK(attacked[i] >= 0.0F);
        CHECK(attacked[i] <= 1.0F);
    }
    CHECK(classifier_accuracy(model, attacked, labels) < classifier_accuracy(model, pixels, labels) - 0.2);
}
