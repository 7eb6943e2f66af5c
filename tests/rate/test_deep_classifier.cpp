#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "classifier_checks.hpp"
#include "core/random.hpp"
#include "rate/adversarial.hpp"
#include "rate/deep_classifier.hpp"
#include "readout/linear_readout.hpp"

using namespace softspike;

namespace {

constexpr TensorShape kInput{1, 8, 8};

// The two small blocks, their BatchNorm's running statistics moved away from (0, 1).
DeepRateNetwork toy_network(double first_power) {
    DeepRateNetwork network(kInput, testing::two_small_blocks(first_power), 3);
    Rng rng(4);
    for (std::size_t i = 0; i < network.depth(); ++i) {
        BatchNorm& norm = network.block(i).batch_norm();
        for (double& m : norm.running_mean()) m = 0.2 * rng.normal();
        for (double& v : norm.running_variance()) v = 0.5 + rng.uniform();
    }
    return network;
}

// The network's features (its own frozen run) and a read-out fitted on them.
struct Fitted {
    RateVectors features;
    LinearReadout readout;
};

Fitted fit(DeepRateNetwork& network, const Dataset& data) {
    std::vector<float> features;
    std::vector<RateCounters> counters;
    network.run(data.pixels, data.size(), features, counters);
    Fitted f;
    f.features = RateVectors(data.size(), network.feature_count());
    f.features.counts = features;
    LinearReadoutParams p;
    p.l2_candidates.clear();
    p.l2 = 1e-2;
    f.readout.fit(f.features, data.labels, 3, p, 1);
    return f;
}

}  // namespace

TEST_CASE("the deep classifier predicts what its read-out predicts on the network's own features") {
    const Dataset data = testing::banded_images(90, 7, 8, 8, 0.15);
    DeepRateNetwork network = toy_network(0.7);
    const Fitted f = fit(network, data);
    const DeepClassifier model(network, f.readout);
    CHECK(model.pixels_per_image() == 64);
    std::vector<std::uint8_t> predicted(data.size());
    model.predict(data.pixels, data.size(), predicted);
    CHECK(predicted == f.readout.predict(f.features));
    std::vector<float> gradient(data.pixels.size());
    std::vector<std::uint8_t> from_gradient(data.size());
    model.loss_gradients(data.pixels, data.size(), data.labels, gradient, from_gradient, {});
    CHECK(predicted == from_gradient);
    CHECK(classifier_accuracy(model, data.pixels, data.labels) > 0.6);
    LinearReadout wrong;
    RateVectors narrow(3, 2);
    wrong.fit(narrow, std::vector<std::uint8_t>{0, 1, 2}, 3, LinearReadoutParams{}, 1);
    CHECK_THROWS_AS(DeepClassifier(network, wrong), std::invalid_argument);
}

TEST_CASE("the deep classifier's pixel gradient equals central differences of its loss") {
    const Dataset data = testing::banded_images(90, 7, 8, 8, 0.15);
    for (const double power : {0.7, 1.0}) {
        CAPTURE(power);
        DeepRateNetwork network = toy_network(power);
        const DeepClassifier model(network, fit(network, data).readout);
        testing::check_pixel_gradient(model, data, 3, 1e-3F);
    }
}

TEST_CASE("attacks through the deep classifier stay in the ball and lower its accuracy") {
    const Dataset data = testing::banded_images(90, 7, 8, 8, 0.15);
    DeepRateNetwork network = toy_network(0.7);
    const DeepClassifier model(network, fit(network, data).readout);
    AttackParams params;
    params.kind = AttackKind::pgd;
    params.epsilon = 0.2;
    const std::vector<float> attacked = attack_images(model, data.pixels, data.labels, params);
    for (std::size_t i = 0; i < data.pixels.size(); ++i) {
        CHECK(std::abs(attacked[i] - data.pixels[i]) <= 0.2F + 1e-6F);
        CHECK(attacked[i] >= 0.0F);
        CHECK(attacked[i] <= 1.0F);
    }
    CHECK(classifier_accuracy(model, attacked, data.labels) <
          classifier_accuracy(model, data.pixels, data.labels) - 0.2);
}
