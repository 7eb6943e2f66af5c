#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/numerical_error.hpp"
#include "core/random.hpp"
#include "neurons/poisson_encoder.hpp"
#include "neurons/soft_wta_population.hpp"
#include "plasticity/softhebb.hpp"

using namespace softspike;

namespace {

std::vector<float> random_unit_input(Rng& rng, std::size_t d) {
    std::vector<float> x(d);
    double norm = 0.0;
    for (auto& v : x) {
        v = static_cast<float>(rng.uniform());
        norm += static_cast<double>(v) * v;
    }
    for (auto& v : x) v = static_cast<float>(v / std::sqrt(norm));
    return x;
}

double column_norm(const Projection& w, std::size_t k) {
    double s = 0.0;
    for (std::size_t i = 0; i < w.sources(); ++i) s += static_cast<double>(w.at(i, k)) * w.at(i, k);
    return std::sqrt(s);
}

}  // namespace

TEST_CASE("SoftHebb drives the weight norm of a learning neuron towards 1, from below and from above") {
    for (const double start_norm : {0.2, 5.0}) {
        const std::size_t d = 20;
        Projection w(d, 1, 0);
        Rng rng(3);
        for (std::size_t i = 0; i < d; ++i) w.at(i, 0) = static_cast<float>(rng.uniform());
        const double n0 = column_norm(w, 0);
        for (std::size_t i = 0; i < d; ++i) w.at(i, 0) = static_cast<float>(w.at(i, 0) * start_norm / n0);
        SoftHebb rule(0.05);
        EventCounters counters;
        const std::vector<float> bias{0.0F};
        for (int step = 0; step < 3000; ++step) {
            const auto x = random_unit_input(rng, d);
            float u = 0.0F;
            for (std::size_t i = 0; i < d; ++i) u += w.at(i, 0) * x[i];
            rule.on_post({0, u}, x, w, counters);
        }
        CHECK(column_norm(w, 0) == doctest::Approx(1.0).epsilon(0.05));
        CHECK(counters.plasticity_updates == 3000 * d);
    }
}

TEST_CASE("the spiking SoftHebb update equals the rate rule in expectation") {
    // Fixed weights and input; the population's traces hold x exactly (graded spikes, no decay to speak of),
    // so the only randomness is which neuron the stochastic soft-WTA picks. Averaged over many population
    // spikes, eta * (x - u_k w_k) at the winner k must equal eta * y_k * (x - u_k w_k) for every synapse.
    const std::size_t d = 5;
    const std::size_t n = 3;
    PopulationParams p;
    p.neurons = n;
    p.temperature = 0.1;
    Projection w(d, n, 0);
    Rng init(11);
    for (auto& v : w.weights()) v = static_cast<float>(init.uniform() * 0.6);
    const std::vector<float> biases{0.0F, 0.05F, -0.05F};
    const std::vector<float> x = random_unit_input(init, d);
    const double eta = 0.01;
    const auto expected = softhebb_rate_delta(w, biases, x, eta, p.temperature);

    SoftWtaPopulation population(d, p, 1e9);  // tau so long that the traces do not decay within 1 us
    EventCounters counters;
    population.begin_sample(0, false);
    for (std::uint32_t i = 0; i < d; ++i) (void)population.deliver(i, x[i], 0, w, biases, counters);

    const int draws = 200000;
    std::vector<double> mean(d * n, 0.0);
    Rng rng(12);
    SoftHebb rule(eta);
    for (int t = 0; t < draws; ++t) {
        const std::uint32_t k = population.draw_winner(1, biases, rng);
        Projection copy = w;
        rule.on_post({k, population.drive(k, 1, biases)}, population.pre_estimates(1), copy, counters);
        for (std::size_t j = 0; j < d * n; ++j) mean[j] += (copy.weights()[j] - w.weights()[j]) / draws;
    }
    // Each per-draw update is at most ~eta in size; the standard error of the mean is below eta / sqrt(draws).
    const double tolerance = 5.0 * eta / std::sqrt(static_cast<double>(draws));
    for (std::size_t j = 0; j < d * n; ++j) {
        CHECK(std::abs(mean[j] - expected[j]) < tolerance);
    }
}

TEST_CASE("Poisson traces, warm-up corrected, are unbiased estimates of the normalised input") {
    const std::vector<float> pixels{0.0F, 0.2F, 0.5F, 1.0F};
    EncoderParams e;
    e.presentation_ms = 30.0;
    e.max_rate_hz = 200.0;
    e.trace_tau_ms = 20.0;
    PopulationParams p;
    p.neurons = 1;
    Projection w(pixels.size(), 1, 0);
    const std::vector<float> biases{0.0F};
    double norm = 0.0;
    for (const float v : pixels) norm += static_cast<double>(v) * v;
    norm = std::sqrt(norm);
    std::vector<double> mean(pixels.size(), 0.0);
    const int samples = 20000;
    SoftWtaPopulation population(pixels.size(), p, e.trace_tau_ms);
    EventCounters counters;
    for (int s = 0; s < samples; ++s) {
        Rng rng = Rng::stream(5, StreamPurpose::test_fixture, static_cast<std::uint64_t>(s));
        const EncodedSample sample = encode_poisson(pixels, e, rng);
        population.begin_sample(0, true);
        for (const InputSpike& spike : sample.spikes) {
            (void)population.deliver(spike.source, spike.amplitude, spike.offset, w, biases, counters);
        }
        const auto estimate = population.pre_estimates(ms_to_ticks(e.presentation_ms));
        for (std::size_t i = 0; i < pixels.size(); ++i) mean[i] += estimate[i] / samples;
    }
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        CHECK(mean[i] == doctest::Approx(pixels[i] / norm).epsilon(0.02));
    }
}

TEST_CASE("the adaptive learning rate scales with the distance of the weight norm from 1") {
    Projection w(4, 2, 0);
    w.at(0, 0) = 2.0F;   // norm 2: distance 1
    w.at(1, 1) = 1.25F;  // norm 1.25: distance 0.25
    SoftHebb fixed(0.1);
    SoftHebb adaptive(0.1, 0.5);
    CHECK(fixed.neuron_learning_rate(0, w) == doctest::Approx(0.1));
    CHECK(adaptive.neuron_learning_rate(0, w) == doctest::Approx(0.1));
    CHECK(adaptive.neuron_learning_rate(1, w) == doctest::Approx(0.05));
    // After an update the rate follows the new norm: x = 0 and u = 1 shrink w_0 by (1 - 0.1) to norm 1.8.
    EventCounters counters;
    const std::vector<float> zero(4, 0.0F);
    adaptive.on_post({0, 1.0F}, zero, w, counters);
    CHECK(w.at(0, 0) == doctest::Approx(1.8));
    CHECK(adaptive.neuron_learning_rate(0, w) == doctest::Approx(0.1 * std::sqrt(0.8)));
    // With a norm target of 2 the distances are measured from 2: neuron 1 (norm 1.25) is 0.75 away.
    SoftHebb targeted(0.1, 0.5, false, 2.0);
    CHECK(targeted.neuron_learning_rate(1, w) == doctest::Approx(0.1 * std::sqrt(0.75)));
}

TEST_CASE("a learning rate that makes the weights diverge stops with a NumericalError") {
    Projection w(3, 1, 0);
    w.at(0, 0) = 1.0F;
    SoftHebb rule(1.0);
    EventCounters counters;
    const std::vector<float> x{1.0F, 0.0F, 0.0F};
    // w <- w + (x - u w) with u = 1e30 grows without bound: |w| multiplies by ~1e30 each step.
    CHECK_THROWS_WITH_AS(for (int i = 0; i < 10; ++i) rule.on_post({0, 1e30F}, x, w, counters),
                         doctest::Contains("non-finite"), NumericalError);
}

TEST_CASE("low-discrepancy draws follow softmax(u / tau) with far less sampling noise than independent ones") {
    PopulationParams p;
    p.neurons = 8;
    p.temperature = 0.1;
    const std::vector<float> biases{0.0F, 0.05F, 0.1F, 0.15F, 0.2F, 0.25F, 0.3F, -0.1F};
    std::vector<double> y(p.neurons);
    double z = 0.0;
    for (std::size_t k = 0; k < y.size(); ++k) z += y[k] = std::exp(biases[k] / p.temperature);
    const int draws = 600;
    // The largest deviation of a neuron's count from draws * y_k, averaged over samples.
    auto deviation = [&](bool low_discrepancy) {
        p.low_discrepancy = low_discrepancy;
        SoftWtaPopulation population(1, p, 1e9);
        double total = 0.0;
        for (std::uint64_t s = 0; s < 50; ++s) {
            Rng rng = Rng::stream(5, StreamPurpose::test_fixture, s);
            population.begin_sample(0, false);
            std::vector<int> counts(p.neurons, 0);
            for (int i = 0; i < draws; ++i) ++counts[population.draw_winner(1, biases, rng)];
            double worst = 0.0;
            for (std::size_t k = 0; k < y.size(); ++k) worst = std::max(worst, std::abs(counts[k] - draws * y[k] / z));
            total += worst / 50.0;
        }
        return total;
    };
    const double independent = deviation(false);
    const double even = deviation(true);
    MESSAGE("mean largest count deviation: independent " << independent << ", low-discrepancy " << even);
    CHECK(independent > 8.0);  // about sqrt(600 * 0.2) standard deviations of a multinomial
    CHECK(even < 2.5);
}

TEST_CASE("the soft-WTA draw stays uniform over equal drives in a population too large for 52 fraction bits") {
    // 5000 neurons of equal logit: every fixed-point weight is the largest, and 5000 of them at 2^52 each
    // would not fit a 64-bit total.
    PopulationParams p;
    p.neurons = 5000;
    SoftWtaPopulation population(1, p, 1e9);
    population.begin_sample(0, false);
    const std::vector<float> biases(p.neurons, 0.0F);
    Rng rng(3);
    const int draws = 20000;
    double mean = 0.0;
    std::size_t upper_half = 0;
    for (int i = 0; i < draws; ++i) {
        const std::uint32_t k = population.draw_winner(1, biases, rng);
        mean += static_cast<double>(k) / draws;
        upper_half += k >= 2500 ? 1U : 0U;
    }
    // Uniform over 0..4999: mean 2499.5 with a standard error of about 10.
    CHECK(mean == doctest::Approx(2499.5).epsilon(0.02));
    CHECK(static_cast<double>(upper_half) / draws == doctest::Approx(0.5).epsilon(0.05));
}
