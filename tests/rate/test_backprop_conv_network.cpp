#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "classifier_checks.hpp"
#include "core/random.hpp"
#include "rate/adversarial.hpp"
#include "rate/backprop_conv_network.hpp"

using namespace softspike;

namespace {

Dataset toy_images(std::size_t n, std::uint64_t seed) { return testing::banded_images(n, seed, 8, 8, 0.15); }

// The two small blocks with triangle powers 1 and 1.4.
std::vector<ConvBlockParams> toy_blocks() { return testing::two_small_blocks(1.0); }

}  // namespace

TEST_CASE(
    "the deep backpropagation baseline's parameter gradient, through training-mode BatchNorm, equals central "
    "differences of its batch loss") {
    const Dataset data = toy_images(12, 5);
    BackpropConvNetwork model({1, 8, 8}, toy_blocks(), 3, 1);
    const std::vector<float> theta = model.parameters();
    std::vector<float> gradient;
    model.batch_loss_gradient(data.pixels, data.labels, gradient);
    REQUIRE(gradient.size() == theta.size());
    const std::size_t first_block = 4 * 9;  // block 0's kernels come first, then block 1's (36 x 5)
    double scale = 0.0;
    for (const float g : gradient) scale = std::max(scale, static_cast<double>(std::abs(g)));
    REQUIRE(scale > 1e-4);
    std::vector<float> unused;
    // Every parameter of block 0 (its gradient went back through block 1's BatchNorm), some of block 1 and of the
    // last layer.
    std::vector<std::size_t> checked(first_block);
    std::iota(checked.begin(), checked.end(), std::size_t{0});
    for (std::size_t i = first_block; i < theta.size(); i += 7) checked.push_back(i);
    for (const std::size_t i : checked) {
        CAPTURE(i);
        const float h = 1e-3F * std::max(1.0F, std::abs(theta[i]));
        std::vector<float> up = theta;
        std::vector<float> down = theta;
        up[i] += h;
        down[i] -= h;
        model.set_parameters(up);
        const double plus = model.batch_loss_gradient(data.pixels, data.labels, unused);
        model.set_parameters(down);
        const double minus = model.batch_loss_gradient(data.pixels, data.labels, unused);
        CHECK(gradient[i] == doctest::Approx((plus - minus) / (2.0 * h)).epsilon(0.03).scale(scale));
    }
    CHECK_THROWS_AS(model.set_parameters(std::vector<float>(theta.size() - 1)), std::invalid_argument);
}

TEST_CASE("the deep backpropagation baseline learns by descending its loss, and the same seed gives the same weights") {
    const Dataset train = toy_images(300, 5);
    const Dataset test = toy_images(150, 6);
    std::vector<std::size_t> rows(train.size());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    BackpropParams params;
    params.batch = 16;
    params.learning_rate = 1e-2;
    BackpropConvNetwork model({1, 8, 8}, toy_blocks(), 3, 1);
    const double first = model.train_epoch(train, rows, params);
    double last = first;
    for (int e = 0; e < 5; ++e) last = model.train_epoch(train, rows, params);
    CHECK(last < 0.5 * first);
    CHECK(classifier_accuracy(model, test.pixels, test.labels) > 0.95);
    // The frozen classifier uses the running statistics: its pixel gradient is the one attacks take.
    AttackParams attack;
    attack.kind = AttackKind::fgsm;
    attack.epsilon = 0.3;
    CHECK(classifier_accuracy(model, attack_images(model, test.pixels, test.labels, attack), test.labels) <
          classifier_accuracy(model, test.pixels, test.labels) - 0.2);
    BackpropConvNetwork again({1, 8, 8}, toy_blocks(), 3, 1);
    for (int e = 0; e < 6; ++e) again.train_epoch(train, rows, params);
    CHECK(again.parameters() == model.parameters());
    CHECK(BackpropConvNetwork({1, 8, 8}, toy_blocks(), 3, 2).parameters() !=
          BackpropConvNetwork({1, 8, 8}, toy_blocks(), 3, 1).parameters());
    std::vector<ConvBlockParams> pruned = toy_blocks();
    pruned[1].prune_fraction = 0.5;
    CHECK_THROWS_AS(BackpropConvNetwork({1, 8, 8}, pruned, 3, 1), std::invalid_argument);
}
