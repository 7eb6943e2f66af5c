#include <doctest/doctest.h>
#include <unistd.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "core/random.hpp"
#include "io/checkpoint.hpp"
#include "io/config_file.hpp"
#include "run/config.hpp"
#include "plasticity/hebb.hpp"
#include "plasticity/instar.hpp"
#include "plasticity/oja.hpp"
#include "plasticity/softhebb.hpp"
#include "rate/rate_layer.hpp"
#include "rate/rate_network.hpp"
#include "run/lowering.hpp"
#include "run/rate_training.hpp"
#include "run/evaluation.hpp"
#include "run/network_setup.hpp"
#include "run/training.hpp"

using namespace softspike;

namespace {

// W = identity (2 inputs x 2 neurons, source-major), b = 0: for x = (1, 0) and T = 1, u = (1, 0) and
// y = (e / (e + 1), 1 / (e + 1)).
NetworkModel identity_layer() {
    NetworkModel m{Projection(2, 2, 0), {0.0F, 0.0F}};
    m.weights.at(0, 0) = 1.0F;
    m.weights.at(1, 1) = 1.0F;
    return m;
}

constexpr double kY0 = 0.7310585786300049;  // e / (e + 1)
constexpr double kY1 = 0.2689414213699951;  // 1 / (e + 1)

RateLayerParams tiny_params() {
    RateLayerParams p;
    p.temperature = 1.0;
    p.learning_rate = 0.1;
    return p;
}

NetworkModel one_step(const PlasticityRule& rule, const RateLayerParams& params, const std::vector<float>& x,
                      std::size_t batch, RateCounters& counters) {
    RateLayer layer(identity_layer(), params);
    std::vector<float> u;
    layer.forward(x, batch, u, counters);
    layer.learn(x, batch, u, rule, counters);
    return layer.model();
}

Config bars_config() {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    c.population.neurons = 24;
    c.rate.hidden_layers = {16};
    c.rate.learning_rate = 0.05;
    c.rate.temperature = 0.1;
    c.rate.features = RateFeatures::softmax;
    c.rate.feature_temperature = 0.1;
    c.plasticity.initial_weight_norm = 1.0;
    c.training.epochs = 3;
    return c;
}

// The bars problem on 6 x 6 images: each image shows one of 6 horizontal or 6 vertical bars (its class),
// with 10% of the pixels flipped on at random.
Dataset bars(std::size_t n, std::uint64_t seed) {
    Dataset d;
    d.rows = 6;
    d.cols = 6;
    d.classes = 12;
    Rng rng(seed);
    for (std::size_t s = 0; s < n; ++s) {
        const auto bar = static_cast<std::uint8_t>(rng.below(12));
        for (std::size_t r = 0; r < 6; ++r) {
            for (std::size_t c = 0; c < 6; ++c) {
                const bool on = bar < 6 ? r == bar : c == bar - 6U;
                d.pixels.push_back(on || rng.uniform() < 0.1 ? 1.0F : 0.0F);
            }
        }
        d.labels.push_back(bar);
    }
    return d;
}

}  // namespace

TEST_CASE("the rate SoftHebb update equals the hand-computed one on a 2-input, 2-neuron layer") {
    RateCounters counters;
    const NetworkModel m = one_step(SoftHebb(0.0), tiny_params(), {1.0F, 0.0F}, 1, counters);
    // dw_ik = 0.1 y_k (x_i - u_k w_ik): neuron 0 (u = 1, w = e_0) is already at its input: no change;
    // neuron 1 (u = 0) moves towards x by 0.1 y_1 on input 0.
    CHECK(m.weights.at(0, 0) == doctest::Approx(1.0));
    CHECK(m.weights.at(1, 0) == doctest::Approx(0.0));
    CHECK(m.weights.at(0, 1) == doctest::Approx(0.1 * kY1));
    CHECK(m.weights.at(1, 1) == doctest::Approx(1.0));
    CHECK(counters.samples == 1);
    CHECK(counters.macs == 4);
    CHECK(counters.effective_macs == 2);  // one nonzero input x two neurons
    CHECK(counters.plasticity_updates == 4);
    CHECK(counters.plasticity_macs == 4);
}

TEST_CASE("a normalised rate update moves its largest synapse by exactly eta") {
    RateCounters counters;
    RateLayerParams params = tiny_params();
    params.normalise_update = true;
    // x = (0.6, 0.8), W = I: u = (0.6, 0.8), y = softmax(u). SoftHebb's update dw_ik = y_k (x_i - u_k w_ik):
    //   neuron 0: (y0 (0.6 - 0.6), y0 0.8), neuron 1: (y1 0.6, y1 (0.8 - 0.8)).
    const double y0 = 1.0 / (1.0 + std::exp(0.2));
    const double y1 = 1.0 - y0;
    const double d00 = 0.0;
    const double d10 = y0 * 0.8;
    const double d01 = y1 * 0.6;
    const double d11 = 0.0;
    const double largest = std::max({std::abs(d00), std::abs(d10), std::abs(d01), std::abs(d11)});
    const NetworkModel m = one_step(SoftHebb(0.0), params, {0.6F, 0.8F}, 1, counters);
    CHECK(m.weights.at(0, 0) == doctest::Approx(1.0 + 0.1 * d00 / largest));
    CHECK(m.weights.at(1, 0) == doctest::Approx(0.1 * d10 / largest));
    CHECK(m.weights.at(0, 1) == doctest::Approx(0.1 * d01 / largest));
    CHECK(m.weights.at(1, 1) == doctest::Approx(1.0 + 0.1 * d11 / largest));
    // The largest entry moved by eta itself; the unnormalised step would have moved it by eta times it.
    CHECK(m.weights.at(1, 0) == doctest::Approx(0.1));
    const NetworkModel plain = one_step(SoftHebb(0.0), tiny_params(), {0.6F, 0.8F}, 1, counters);
    CHECK(plain.weights.at(1, 0) == doctest::Approx(0.1 * d10));
    // A batch of two identical samples is one sample's update, normalised alike (a sum, then its maximum).
    const NetworkModel twice = one_step(SoftHebb(0.0), params, {0.6F, 0.8F, 0.6F, 0.8F}, 2, counters);
    CHECK(twice.weights.at(1, 0) == doctest::Approx(m.weights.at(1, 0)));
    CHECK(twice.weights.at(0, 1) == doctest::Approx(m.weights.at(0, 1)));
}

TEST_CASE("the rate forms of Hebb, instar and Oja equal their hand-computed updates") {
    RateCounters counters;
    const std::vector<float> x{1.0F, 0.0F};
    SUBCASE("Hebb: 0.1 y_k x_i") {
        const NetworkModel m = one_step(Hebb(0.0), tiny_params(), x, 1, counters);
        CHECK(m.weights.at(0, 0) == doctest::Approx(1.0 + 0.1 * kY0));
        CHECK(m.weights.at(0, 1) == doctest::Approx(0.1 * kY1));
        CHECK(m.weights.at(1, 1) == doctest::Approx(1.0));
    }
    SUBCASE("instar: 0.1 y_k (x_i - w_ik)") {
        const NetworkModel m = one_step(Instar(0.0), tiny_params(), x, 1, counters);
        CHECK(m.weights.at(0, 0) == doctest::Approx(1.0));
        CHECK(m.weights.at(0, 1) == doctest::Approx(0.1 * kY1));
        CHECK(m.weights.at(1, 1) == doctest::Approx(1.0 - 0.1 * kY1));
    }
    SUBCASE("Oja: 0.1 y_k (x_i - y_k w_ik)") {
        const NetworkModel m = one_step(Oja(0.0), tiny_params(), x, 1, counters);
        CHECK(m.weights.at(0, 0) == doctest::Approx(1.0 + 0.1 * kY0 * (1.0 - kY0)));
        CHECK(m.weights.at(0, 1) == doctest::Approx(0.1 * kY1));
        CHECK(m.weights.at(1, 1) == doctest::Approx(1.0 - 0.1 * kY1 * kY1));
    }
}

TEST_CASE("anti-Hebbian SoftHebb turns the non-winner's update around") {
    RateLayerParams p = tiny_params();
    p.anti_hebbian = true;
    RateCounters counters;
    const NetworkModel m = one_step(SoftHebb(0.0), p, {1.0F, 0.0F}, 1, counters);
    CHECK(m.weights.at(0, 1) == doctest::Approx(-0.1 * kY1));
    CHECK(m.weights.at(0, 0) == doctest::Approx(1.0));
}

TEST_CASE("a mini-batch applies the mean of its samples' updates, all from the weights before the step") {
    const std::vector<float> a{1.0F, 0.0F};
    const std::vector<float> b{0.3F, 0.8F};
    RateCounters counters;
    const NetworkModel after_a = one_step(SoftHebb(0.0), tiny_params(), a, 1, counters);
    const NetworkModel after_b = one_step(SoftHebb(0.0), tiny_params(), b, 1, counters);
    const NetworkModel batch = one_step(SoftHebb(0.0), tiny_params(), {1.0F, 0.0F, 0.3F, 0.8F}, 2, counters);
    const NetworkModel start = identity_layer();
    for (std::size_t i = 0; i < 2; ++i) {
        for (std::size_t k = 0; k < 2; ++k) {
            const double mean_delta = 0.5 * ((after_a.weights.at(i, k) - start.weights.at(i, k)) +
                                             (after_b.weights.at(i, k) - start.weights.at(i, k)));
            CHECK(batch.weights.at(i, k) - start.weights.at(i, k) == doctest::Approx(mean_delta).epsilon(1e-5));
        }
    }
    // It agrees with the reference implementation of the rate rule, too.
    const std::vector<float> delta = softhebb_rate_delta(start.weights, start.biases, b, 0.1, 1.0);
    for (std::size_t j = 0; j < 4; ++j) {
        CHECK(after_b.weights.weights()[j] - start.weights.weights()[j] == doctest::Approx(delta[j]).epsilon(1e-5));
    }
}

TEST_CASE("learned biases move towards the log of each neuron's mean output") {
    RateLayerParams p = tiny_params();
    p.learn_biases = true;
    p.bias_learning_rate = 0.5;
    RateCounters counters;
    const NetworkModel m = one_step(SoftHebb(0.0), p, {1.0F, 0.0F}, 1, counters);
    // db_k = 0.5 (e^{-0} y_k - 1)
    CHECK(m.biases[0] == doctest::Approx(0.5 * (kY0 - 1.0)));
    CHECK(m.biases[1] == doctest::Approx(0.5 * (kY1 - 1.0)));
    CHECK(counters.bias_updates == 2);
}

TEST_CASE("two stacked soft-WTA layers learn the bars problem far above chance") {
    const Config c = bars_config();
    const Dataset train_data = bars(3000, 1);
    const Dataset test_data = bars(600, 2);
    const RateTrainingResult trained = train_rate(c, train_data, false);
    REQUIRE(trained.layers.size() == 2);
    CHECK(trained.layers[1].weights.sources() == 24);
    CHECK(trained.layers[1].weights.targets() == 16);
    CHECK(trained.images == 9000);
    const RatePass train_pass = run_rate_frozen(c, trained.layers, train_data, "t", false);
    const RatePass test_pass = run_rate_frozen(c, trained.layers, test_data, "t", false);
    CHECK(test_pass.features.neurons == 16);
    const ReadoutResult r = fit_readouts(c, train_pass.features, train_data, test_pass.features, test_data);
    // Chance is 1/12; the untrained stack, for comparison, is measured below.
    CHECK(r.label_assignment_accuracy > 0.6);
    CHECK(r.linear_readout_accuracy > 0.6);
    const RatePass untrained_train = run_rate_frozen(c, initial_rate_layers(c, 36), train_data, "t", false);
    const RatePass untrained_test = run_rate_frozen(c, initial_rate_layers(c, 36), test_data, "t", false);
    const ReadoutResult u = fit_readouts(c, untrained_train.features, train_data, untrained_test.features, test_data);
    MESSAGE("bars: trained label assignment " << r.label_assignment_accuracy << ", untrained "
                                              << u.label_assignment_accuracy);
    CHECK(r.label_assignment_accuracy > u.label_assignment_accuracy + 0.2);
}

TEST_CASE("rate training and evaluation give the same bits with 1 and 2 threads") {
    Config c = bars_config();
    c.rate.batch = 7;
    c.rate.features = RateFeatures::triangle;
    const Dataset data = bars(500, 3);
    auto run_with = [&](std::size_t threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
        const RateTrainingResult t = train_rate(c, data, false);
        return std::make_pair(t.layers, run_rate_frozen(c, t.layers, data, "t", false).features.counts);
    };
    const auto one = run_with(1);
    const auto two = run_with(2);
    for (std::size_t l = 0; l < one.first.size(); ++l) {
        CHECK(one.first[l].weights.weights() == two.first[l].weights.weights());
    }
    CHECK(one.second == two.second);
}

TEST_CASE("weights move between the forms unchanged: the rate model's first layer is the spiking model") {
    Config c = bars_config();
    c.rate.hidden_layers.clear();
    c.rate.features = RateFeatures::triangle;
    const Dataset data = bars(200, 4);
    // The rate model starts from the spiking network's initial weights (same seed).
    const TrainingState spiking_start = initial_training_state(c, 36);
    CHECK(initial_rate_layers(c, 36).front().weights.weights() == spiking_start.model.weights.weights());
    // A rate-trained layer saved as a checkpoint and loaded back gives bit-identical features.
    const RateTrainingResult trained = train_rate(c, data, false);
    const auto path = std::filesystem::temp_directory_path() / ("softspike_rate_transfer." + std::to_string(::getpid()) + ".ckpt");
    save_checkpoint(path, trained.layers.front());
    const NetworkModel loaded = load_checkpoint(path);
    std::filesystem::remove(path);
    CHECK(loaded.weights.weights() == trained.layers.front().weights.weights());
    CHECK(run_rate_frozen(c, {loaded}, data, "t", false).features.counts ==
          run_rate_frozen(c, trained.layers, data, "t", false).features.counts);
    // The rate form computes u = W^T x + b from spike-trained weights exactly as defined, x the image at unit
    // norm (what the spiking form's traces estimate): check one image.
    const RatePass pass = run_rate_frozen(c, {spiking_start.model}, data, "t", false);
    double norm = 0.0;
    for (const float p : data.image(5)) norm += static_cast<double>(p) * p;
    norm = std::sqrt(norm);
    std::vector<double> u(24, 0.0);
    for (std::size_t k = 0; k < 24; ++k) {
        for (std::size_t i = 0; i < 36; ++i) u[k] += spiking_start.model.weights.at(i, k) * data.image(5)[i] / norm;
    }
    double mean = 0.0;
    for (const double v : u) mean += v / 24.0;
    for (std::size_t k = 0; k < 24; ++k) {
        CHECK(pass.features.row(5)[k] == doctest::Approx(std::max(0.0, u[k] - mean)).epsilon(1e-4));
    }
}

TEST_CASE("the rate learning rate is derived from the spiking form's expected spikes per image") {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    // 0.01 per spike x 250 Hz x (40 - 10) ms = 7.5 spikes per training image.
    CHECK(lower(c).rate_network.layer.learning_rate == doctest::Approx(0.075));
    c.rate.learning_rate = 0.2;
    CHECK(lower(c).rate_network.layer.learning_rate == doctest::Approx(0.2));
}

TEST_CASE("the rate form's homeostasis moves the biases as the spiking form's does in expectation") {
    RateLayerParams p = tiny_params();
    p.homeostasis_rate = 0.1;
    p.homeostasis_spikes = 2.0;
    RateCounters counters;
    const NetworkModel m = one_step(SoftHebb(0.0), p, {1.0F, 0.0F}, 1, counters);
    // Per spike the winner's bias falls by 0.1 and every bias rises by 0.1 / 2: over 2 spikes drawn from y,
    // E[db_k] = 0.1 * 2 * (1/2 - y_k).
    CHECK(m.biases[0] == doctest::Approx(0.2 * (0.5 - kY0)));
    CHECK(m.biases[1] == doctest::Approx(0.2 * (0.5 - kY1)));
    CHECK(counters.bias_updates == 2);
}
