#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "classifier_checks.hpp"
#include "core/random.hpp"
#include "rate/adversarial.hpp"
#include "rate/backprop_network.hpp"
#include "rate/softhebb_classifier.hpp"
#include "readout/linear_readout.hpp"

using namespace softspike;

namespace {

constexpr std::size_t kPixels = 12;

// Images of kPixels intensities in (0.05, 0.95): class c is brighter on its own third of the image.
Dataset toy_images(std::size_t n, std::uint64_t seed) { return testing::banded_images(n, seed, 3, 4, 0.1); }

// A single soft-WTA layer of 5 neurons with random weights and a read-out fitted on its features.
// The hand-computed features of every image and the read-out fitted on them, for a check of the forward pass.
struct HandFeatures {
    RateVectors rates;
    LinearReadout readout;
};

SoftHebbClassifier toy_softhebb(const Dataset& data, const EncoderParams& encoder, RateFeatures features,
                                HandFeatures* hand = nullptr) {
    const std::size_t inputs = encoded_inputs(kPixels, encoder);
    NetworkModel layer{Projection(inputs, 5, 0), std::vector<float>(5, 0.0F)};
    Rng rng(3);
    for (float& w : layer.weights.weights()) w = static_cast<float>(rng.normal());
    for (float& b : layer.biases) b = static_cast<float>(0.1 * rng.normal());
    // Features by hand: the classifier's own forward pass is what the gradient test checks.
    RateVectors rates(data.size(), 5);
    std::vector<float> x;
    for (std::size_t s = 0; s < data.size(); ++s) {
        normalised_rows(data.image(s), 1, kPixels, encoder, x);
        std::vector<float> u(layer.biases);
        for (std::size_t i = 0; i < inputs; ++i) {
            for (std::size_t k = 0; k < 5; ++k) u[k] += x[i] * layer.weights.at(i, k);
        }
        if (features == RateFeatures::softmax) {
            const float top = *std::max_element(u.begin(), u.end());
            double total = 0.0;
            for (float& v : u) total += (v = std::exp((v - top) / 0.5F));
            for (float& v : u) v = static_cast<float>(v / total);
        } else {
            double mean = 0.0;
            for (const float v : u) mean += v / 5.0;
            for (float& v : u) v = std::max(0.0F, static_cast<float>(v - mean));
        }
        std::copy(u.begin(), u.end(), rates.row(s).begin());
    }
    LinearReadout readout;
    LinearReadoutParams p;
    p.l2_candidates.clear();
    p.l2 = 1e-2;
    readout.fit(rates, data.labels, 3, p, 1);
    if (hand != nullptr) *hand = HandFeatures{rates, readout};
    return {layer, encoder, features, 0.5, readout, kPixels};
}

// Central differences of the loss against the analytic gradient, for a few images.
void check_gradient(const PixelClassifier& model, const Dataset& data) {
    testing::check_pixel_gradient(model, data, 4, 2e-3F);
}

}  // namespace

TEST_CASE("the SoftHebb rate classifier's pixel gradient equals central differences of its loss") {
    const Dataset data = toy_images(60, 5);
    EncoderParams plain;
    EncoderParams on_off;
    on_off.on_off = true;
    SUBCASE("pixels, softmax features") { check_gradient(toy_softhebb(data, plain, RateFeatures::softmax), data); }
    SUBCASE("ON/OFF channels, softmax features") {
        check_gradient(toy_softhebb(data, on_off, RateFeatures::softmax), data);
    }
    SUBCASE("pixels, triangle features") { check_gradient(toy_softhebb(data, plain, RateFeatures::triangle), data); }
}

TEST_CASE("the SoftHebb rate classifier predicts what its read-out predicts on its features") {
    const Dataset data = toy_images(60, 5);
    HandFeatures hand;
    const SoftHebbClassifier model = toy_softhebb(data, EncoderParams{}, RateFeatures::softmax, &hand);
    std::vector<std::uint8_t> predicted(data.size());
    model.predict(data.pixels, data.size(), predicted);
    CHECK(predicted == hand.readout.predict(hand.rates));  // the features computed by hand, read out
    std::vector<float> gradient(data.pixels.size());
    std::vector<std::uint8_t> from_gradient(data.size());
    model.loss_gradients(data.pixels, data.size(), data.labels, gradient, from_gradient, {});
    CHECK(predicted == from_gradient);
    CHECK(classifier_accuracy(model, data.pixels, data.labels) > 0.6);  // a random layer, three easy classes
}

TEST_CASE("the backpropagation baseline's pixel gradient equals central differences of its loss") {
    const Dataset data = toy_images(60, 5);
    EncoderParams on_off;
    on_off.on_off = true;
    SUBCASE("untrained") { check_gradient(BackpropNetwork(kPixels, EncoderParams{}, 6, 3, 0.5, 1), data); }
    SUBCASE("trained, ON/OFF channels") {
        BackpropNetwork model(kPixels, on_off, 6, 3, 0.5, 1);
        std::vector<std::size_t> rows(data.size());
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
        BackpropParams params;
        params.batch = 8;
        params.learning_rate = 1e-2;
        for (int e = 0; e < 5; ++e) model.train_epoch(data, rows, params);
        check_gradient(model, data);
    }
}

TEST_CASE("the backpropagation baseline learns by descending its loss, and the same seed gives the same weights") {
    const Dataset train = toy_images(300, 5);
    const Dataset test = toy_images(150, 6);
    std::vector<std::size_t> rows(train.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    BackpropParams params;
    params.batch = 16;
    params.learning_rate = 1e-2;
    BackpropNetwork model(kPixels, EncoderParams{}, 8, 3, 0.5, 1);
    const double before = classifier_accuracy(model, test.pixels, test.labels);
    const double first = model.train_epoch(train, rows, params);
    double last = first;
    for (int e = 0; e < 15; ++e) last = model.train_epoch(train, rows, params);
    CHECK(last < 0.5 * first);
    CHECK(classifier_accuracy(model, test.pixels, test.labels) > 0.95);
    CHECK(classifier_accuracy(model, test.pixels, test.labels) > before);
    BackpropNetwork again(kPixels, EncoderParams{}, 8, 3, 0.5, 1);
    for (int e = 0; e < 16; ++e) again.train_epoch(train, rows, params);
    CHECK(again.parameters() == model.parameters());
    BackpropNetwork other(kPixels, EncoderParams{}, 8, 3, 0.5, 2);
    CHECK(other.parameters() != BackpropNetwork(kPixels, EncoderParams{}, 8, 3, 0.5, 1).parameters());
}

TEST_CASE("FGSM moves every pixel by epsilon along its gradient's sign, within [0, 1], and raises the loss") {
    const Dataset data = toy_images(90, 5);
    const SoftHebbClassifier model = toy_softhebb(data, EncoderParams{}, RateFeatures::softmax);
    AttackParams params;
    params.kind = AttackKind::fgsm;
    params.epsilon = 0.1;
    const std::vector<float> adversarial = attack_images(model, data.pixels, data.labels, params);
    std::vector<float> gradient(data.pixels.size());
    std::vector<std::uint8_t> predicted(data.size());
    std::vector<float> clean_loss(data.size());
    model.loss_gradients(data.pixels, data.size(), data.labels, gradient, predicted, clean_loss);
    for (std::size_t i = 0; i < data.pixels.size(); ++i) {
        const float expected = gradient[i] > 0.0F   ? data.pixels[i] + 0.1F
                               : gradient[i] < 0.0F ? data.pixels[i] - 0.1F
                                                    : data.pixels[i];
        CHECK(adversarial[i] == doctest::Approx(std::clamp(expected, 0.0F, 1.0F)).epsilon(1e-6));
    }
    std::vector<float> attacked_loss(data.size());
    model.loss_gradients(adversarial, data.size(), data.labels, gradient, predicted, attacked_loss);
    double clean = 0.0;
    double attacked = 0.0;
    for (std::size_t s = 0; s < data.size(); ++s) {
        clean += clean_loss[s];
        attacked += attacked_loss[s];
    }
    CHECK(attacked > clean);
    CHECK(classifier_accuracy(model, adversarial, data.labels) < classifier_accuracy(model, data.pixels, data.labels));
    params.epsilon = 0.0;
    CHECK(attack_images(model, data.pixels, data.labels, params) == data.pixels);
}

TEST_CASE("PGD stays in the epsilon ball and [0, 1], is reproducible, and is at least as strong as FGSM") {
    const Dataset data = toy_images(90, 5);
    BackpropNetwork model(kPixels, EncoderParams{}, 8, 3, 0.5, 1);
    std::vector<std::size_t> rows(data.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    BackpropParams train;
    train.batch = 16;
    train.learning_rate = 1e-2;
    for (int e = 0; e < 10; ++e) model.train_epoch(data, rows, train);
    AttackParams params;
    params.kind = AttackKind::pgd;
    params.epsilon = 0.15;
    params.steps = 10;
    const std::vector<float> adversarial = attack_images(model, data.pixels, data.labels, params);
    for (std::size_t i = 0; i < data.pixels.size(); ++i) {
        CHECK(std::abs(adversarial[i] - data.pixels[i]) <= 0.15F + 1e-6F);
        CHECK(adversarial[i] >= 0.0F);
        CHECK(adversarial[i] <= 1.0F);
    }
    CHECK(attack_images(model, data.pixels, data.labels, params) == adversarial);
    AttackParams other = params;
    other.seed = 2;
    CHECK(attack_images(model, data.pixels, data.labels, other) != adversarial);  // the random start
    AttackParams fgsm = params;
    fgsm.kind = AttackKind::fgsm;
    const double after_fgsm =
        classifier_accuracy(model, attack_images(model, data.pixels, data.labels, fgsm), data.labels);
    const double after_pgd = classifier_accuracy(model, adversarial, data.labels);
    CHECK(after_pgd <= after_fgsm);
    CHECK(after_pgd < classifier_accuracy(model, data.pixels, data.labels));
}
