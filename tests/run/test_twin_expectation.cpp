// The rate form is the expectation of the spiking form (docs/model.md §7): for one image and fixed
// weights, the mean of many spiking presentations' SoftHebb updates equals the rate form's update, both
// built from one config by the code the runs use (encoder, spiking engine, lowering, rate layer).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "network/spiking_network.hpp"
#include "neurons/input_encoder.hpp"
#include "plasticity/rule_registry.hpp"
#include "rate/rate_layer.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"

using namespace softspike;

namespace {

// 16 pixels of varied intensity; 4 neurons with unit-norm weights, so that u spans about [-1, 1] and the
// temperature makes a soft, not a hard, choice.
Config twin_config() {
    Config c;
    c.seed = 7;
    c.population.neurons = 4;
    c.population.temperature = 0.25;
    c.population.homeostasis_rate = 0.0;
    c.population.output_rate_hz = 250.0;
    c.population.onset_ms = 10.0;
    c.encoder.presentation_ms = 40.0;
    c.encoder.trace_tau_ms = 20.0;
    c.encoder.max_rate_hz = 4000.0;  // about 1,500 input spikes: traces close to x, so u(t) close to w . x
    c.plasticity.rule = "softhebb";
    c.plasticity.learning_rate = 1e-4;  // small: a presentation's own updates barely move its drives
    c.plasticity.initial_weight_norm = 1.0;
    return c;
}

std::vector<float> image() {
    std::vector<float> p(16);
    for (std::size_t i = 0; i < 16; ++i) p[i] = static_cast<float>((i * 7 % 16) / 15.0);
    return p;
}

std::vector<double> difference(const Projection& after, const Projection& before) {
    std::vector<double> d(after.weights().size());
    for (std::size_t j = 0; j < d.size(); ++j) {
        d[j] = static_cast<double>(after.weights()[j]) - static_cast<double>(before.weights()[j]);
    }
    return d;
}

double relative_error(const std::vector<double>& a, const std::vector<double>& b) {
    double num = 0.0;
    double den = 0.0;
    for (std::size_t j = 0; j < a.size(); ++j) {
        num += (a[j] - b[j]) * (a[j] - b[j]);
        den += b[j] * b[j];
    }
    return std::sqrt(num / den);
}

// The rate form's update for one sample x from `model`.
std::vector<double> rate_update(const NetworkModel& model, const RateLayerParams& params, const std::vector<float>& x) {
    RateLayer layer(model, params);
    RateCounters counters;
    std::vector<float> u;
    layer.forward(x, 1, u, counters);
    const auto rule = make_rule(twin_config().plasticity);
    layer.learn(x, 1, u, *rule, counters);
    return difference(layer.model().weights, model.weights);
}

// The mean SoftHebb update of `presentations` spiking presentations of `pixels`, each from `start`, each with
// its own stream; `spikes_per_presentation` gets the mean output spike count.
std::vector<double> mean_spiking_update(const Config& c, const NetworkModel& start, const std::vector<float>& pixels,
                                        std::size_t presentations, double* spikes_per_presentation = nullptr) {
    SpikingNetwork network(16, lower(c).training_population, c.encoder);
    network.set_anti_hebbian(c.plasticity.anti_hebbian);
    const auto rule = make_rule(c.plasticity);
    std::vector<double> mean(start.weights.weights().size(), 0.0);
    for (std::size_t s = 0; s < presentations; ++s) {
        NetworkModel model = start;
        Rng rng = Rng::stream(c.seed, StreamPurpose::train_sample, s);
        const EncodedSample sample = encode_sample(pixels, c, rng);
        network.present_learning(sample, static_cast<tick_t>(s) * network.period(), model, *rule, rng);
        const std::vector<double> d = difference(model.weights, start.weights);
        for (std::size_t j = 0; j < d.size(); ++j) mean[j] += d[j] / static_cast<double>(presentations);
    }
    if (spikes_per_presentation != nullptr) {
        *spikes_per_presentation =
            static_cast<double>(network.counters().output_spikes) / static_cast<double>(presentations);
    }
    return mean;
}

}  // namespace

TEST_CASE("the mean spiking SoftHebb update for one image is the rate form's update, and only at unit-norm input") {
    const Config c = twin_config();
    const LoweredConfig lowered = lower(c);
    const std::vector<float> pixels = image();
    const NetworkModel start = initial_model(c, 16);

    double spikes = 0.0;
    const std::vector<double> mean = mean_spiking_update(c, start, pixels, 4000, &spikes);
    // The stochastic population fires R (T - onset) = 7.5 times per presentation on average.
    CHECK(spikes == doctest::Approx(7.5).epsilon(0.03));

    // Rate: one step from the same weights, at the lowered step eta x 7.5 and the same temperature.
    const std::vector<double> rate =
        rate_update(start, lowered.rate_network.layer, normalised_input(pixels, c.encoder));
    const double error = relative_error(mean, rate);
    MESSAGE("relative error of the mean spiking update against the rate update: " << error);
    // Sampling error of 4,000 presentations (30,000 output spikes) and the traces' noise inside the softmax
    // (Jensen) make up what remains: 0.014 measured on this image.
    CHECK(error < 0.06);

    // The same rate step fed the raw intensities, as the rate form was before: far from the spiking mean.
    const std::vector<float> raw = input_intensities(pixels, c.encoder);
    CHECK(relative_error(mean, rate_update(start, lowered.rate_network.layer, raw)) > 0.5);
}

namespace {

// One image's mean spiking update under `c` (4,000 presentations) and the rate update of its lowered twin.
struct TwinUpdates {
    std::vector<double> spiking;
    std::vector<double> rate;
    NetworkModel start;
    LoweredConfig lowered;
    std::vector<float> x;  // the rate form's input
};

TwinUpdates twin_updates(const Config& c) {
    TwinUpdates t;
    t.lowered = lower(c);
    const std::vector<float> pixels = image();
    t.start = initial_model(c, 16);
    t.x = normalised_input(pixels, c.encoder);
    t.spiking = mean_spiking_update(c, t.start, pixels, 4000);
    t.rate = rate_update(t.start, t.lowered.rate_network.layer, t.x);
    return t;
}

}  // namespace

TEST_CASE("anti-Hebbian: the mean spiking update, signed by the most driven neuron, is the rate form's") {
    Config c = twin_config();
    c.plasticity.anti_hebbian = true;
    const TwinUpdates t = twin_updates(c);
    REQUIRE(t.lowered.rate_network.layer.anti_hebbian);
    const double error = relative_error(t.spiking, t.rate);
    MESSAGE("anti-Hebbian: relative error of the mean spiking update against the rate update: " << error);
    // 0.077 measured: above the plain rule's 0.014, because the sign is decided on the noisy drives u(t), whose
    // argmax is not always that of the drives at x.
    CHECK(error < 0.1);
    // Without the sign in the spiking form, its mean is the plain rule's, far from the anti-Hebbian rate step.
    c.plasticity.anti_hebbian = false;
    CHECK(relative_error(mean_spiking_update(c, t.start, image(), 4000), t.rate) > 0.3);
}

TEST_CASE("normalised update: the mean spiking update is the rate form's per-neuron normalised update") {
    Config c = twin_config();
    c.plasticity.normalise_update = true;
    c.plasticity.learning_rate = 1e-5;  // the normalised step moves the largest synapse by eta: keep it small
    const TwinUpdates t = twin_updates(c);
    REQUIRE(t.lowered.rate_network.layer.normalise_per_neuron);
    const double error = relative_error(t.spiking, t.rate);
    MESSAGE("normalised: relative error of the mean spiking update against the rate update: " << error);
    // 0.049 measured: the spiking normaliser is the largest of noisy terms x_hat(t) - u(t) w, whose expectation
    // exceeds the largest expected term, so the spiking steps come out a little shorter.
    CHECK(error < 0.06);
    // The plain rate step (no normalisation) is another update altogether.
    RateLayerParams plain = t.lowered.rate_network.layer;
    plain.normalise_per_neuron = false;
    CHECK(relative_error(t.spiking, rate_update(t.start, plain, t.x)) > 0.3);
}
