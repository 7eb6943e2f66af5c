// The escape-noise LIF form (docs/model.md §4.3): LIF neurons with a soft threshold and common lateral
// inhibition fire each spike from softmax(u / tau), at the rate the threshold and inhibition are derived for.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "network/spiking_network.hpp"

using namespace softspike;

namespace {

constexpr double kTau = 0.01;        // escape-noise width = the softmax temperature
constexpr double kRate = 1000.0;     // R0, the target rate, Hz
constexpr double kTraceTau = 0.020;  // s: the one time constant, of traces and inhibition
constexpr double kGain = 20.0;       // loop gain G = J R0 tau_I / tau

EncoderParams window_10ms() {
    EncoderParams e;
    e.presentation_ms = 10.0;
    e.trace_tau_ms = kTraceTau * 1000.0;
    return e;
}

// tau * log sum_k exp(u_k / tau): the free energy F of drives u.
double free_energy(const std::vector<float>& u) {
    double z = 0.0;
    for (const float v : u) z += std::exp(v / kTau);
    return kTau * std::log(z);
}

// The derivation of §4.3: J = G tau / (R0 tau_I), theta = F* - J R0 tau_I, for drives whose F is F*.
PopulationParams derived(std::size_t n, double f_star, double delay_ms = 0.0) {
    PopulationParams p;
    p.neurons = n;
    p.kind = WtaKind::lif;
    p.escape_noise = true;
    p.temperature = kTau;
    p.output_rate_hz = kRate;
    p.onset_ms = 2.0;
    p.inhibition = kGain * kTau / (kRate * kTraceTau);
    p.threshold = f_star - p.inhibition * kRate * kTraceTau;
    p.inhibition_delay_ms = delay_ms;
    p.hazard_step_ms = 0.1;
    p.homeostasis_rate = 0.0;
    return p;
}

struct Firing {
    std::vector<std::uint64_t> by_neuron;
    std::uint64_t total = 0;
    EventCounters counters;
};

// No input spikes: every drive is its bias, so u = biases for the whole window.
Firing fire_many(const PopulationParams& p, const std::vector<float>& biases, int samples) {
    SpikingNetwork net(1, p, window_10ms());
    const NetworkModel model{Projection(1, p.neurons, ms_to_ticks(1.0)), biases};
    Firing f;
    f.by_neuron.assign(p.neurons, 0);
    const EncodedSample silent;
    for (int s = 0; s < samples; ++s) {
        Rng rng = Rng::stream(5, StreamPurpose::test_fixture, static_cast<std::uint64_t>(s));
        const auto counts = net.present(silent, static_cast<tick_t>(s) * net.period(), model, rng);
        for (std::size_t k = 0; k < counts.size(); ++k) f.by_neuron[k] += counts[k];
    }
    f.total = std::accumulate(f.by_neuron.begin(), f.by_neuron.end(), std::uint64_t{0});
    f.counters = net.counters();
    return f;
}

}  // namespace

TEST_CASE("escape-noise LIF: each spike's neuron is drawn from softmax(u / tau)") {
    const std::vector<float> u = {0.80F, 0.79F, 0.78F, 0.75F};  // logits 80, 79, 78, 75
    const double f = free_energy(u);
    for (const double delay_ms : {0.0, 0.5}) {
        CAPTURE(delay_ms);
        const Firing fired = fire_many(derived(u.size(), f, delay_ms), u, 4000);
        REQUIRE(fired.total > 20000);
        double z = 0.0;
        for (const float v : u) z += std::exp((v - u[0]) / kTau);
        for (std::size_t k = 0; k < u.size(); ++k) {
            const double p = std::exp((u[k] - u[0]) / kTau) / z;
            const double share = static_cast<double>(fired.by_neuron[k]) / static_cast<double>(fired.total);
            const double standard_error = std::sqrt(p * (1.0 - p) / static_cast<double>(fired.total));
            CAPTURE(k);
            CAPTURE(share);
            CAPTURE(p);
            if (delay_ms == 0.0) {
                // Exact when the inhibition is common: within 4.5 standard errors.
                CHECK(std::abs(share - p) < 4.5 * standard_error);
            } else {
                // A delayed inhibition leaves the spiker alone inhibited for 0.5 ms (half an interval at 1 kHz):
                // softer than softmax: the likeliest neuron under its share, by a few points.
                CHECK(std::abs(share - p) < 0.05);
                if (k == 0) CHECK(p - share > 3.0 * standard_error);
            }
        }
    }
}

TEST_CASE("escape-noise LIF: the inhibition holds the rate it is derived for, where the bare hazard would not") {
    const std::vector<float> u = {0.80F, 0.79F, 0.78F, 0.75F};
    const PopulationParams p = derived(u.size(), free_energy(u));
    const int samples = 4000;
    const Firing at = fire_many(p, u, samples);
    // 8 ms of firing at R0 = 1 kHz.
    const double mean = static_cast<double>(at.total) / samples;
    CHECK(mean == doctest::Approx(8.0).epsilon(0.1));
    // Drives 0.05 above the F* the threshold was set for: the bare hazard rises e^(0.05 / tau) = 148-fold; the
    // inhibition's feedback (gain 20) keeps it below twice the rate.
    std::vector<float> higher = u;
    for (float& v : higher) v += 0.05F;
    const double mean_higher = static_cast<double>(fire_many(p, higher, samples).total) / samples;
    CHECK(mean_higher > mean);
    CHECK(mean_higher < 2.0 * mean);
}

TEST_CASE("escape-noise LIF: each spike costs N - 1 inhibitory synaptic events and N membrane updates") {
    const std::vector<float> u = {0.80F, 0.79F, 0.78F};
    const Firing fired = fire_many(derived(u.size(), free_energy(u)), u, 200);
    const std::uint64_t n = u.size();
    REQUIRE(fired.total > 0);
    CHECK(fired.counters.output_spikes == fired.total);
    // No input spikes: every synaptic event is inhibitory.
    CHECK(fired.counters.synaptic_events == fired.total * (n - 1));
    CHECK(fired.counters.effective_acs == fired.total * (n - 1));
    // Membrane updates: N - 1 inhibited and 1 reset per spike, and N per hazard evaluation: at least one per
    // 0.1 ms step of the 8 ms of firing, one after each spike and one after each inhibition's arrival.
    const std::uint64_t per_spike = n;
    REQUIRE(fired.counters.membrane_updates > fired.total * per_spike);
    const std::uint64_t evaluations = (fired.counters.membrane_updates - fired.total * per_spike);
    CHECK(evaluations % n == 0);
    CHECK(evaluations / n >= 200 * 80 + 2 * fired.total);
}
