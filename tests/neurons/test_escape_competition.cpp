// The LIF form of a position's competition (docs/model.md §13): escape-noise LIF channels with a common lateral
// inhibition fire each spike from softmax(u / T), at the rate the threshold and the loop gain are derived for.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "neurons/escape_competition.hpp"

using namespace softspike;

namespace {

constexpr double kT = 0.5;

EscapeCompetitionParams circuit(double gain = 20.0) {
    EscapeCompetitionParams p;
    p.temperature = kT;
    p.rate_hz = 100.0;   // R0 D = 2 spikes per window at the typical free energy
    p.window_s = 0.02;
    p.inhibition_tau_s = 0.02;
    p.loop_gain = gain;
    return p;
}

std::vector<double> softmax(const std::vector<float>& u) {
    std::vector<double> y(u.size());
    double z = 0.0;
    for (std::size_t k = 0; k < u.size(); ++k) z += y[k] = std::exp(u[k] / kT);
    for (double& v : y) v /= z;
    return y;
}

struct Tally {
    std::vector<std::uint64_t> by_channel;
    std::vector<std::uint64_t> by_count;  // windows with 0, 1, 2, ... spikes
    std::uint64_t spikes = 0;
    EventCounters counters;
};

Tally run_many(const EscapeCompetition& c, const std::vector<float>& u, int windows) {
    Tally t;
    t.by_channel.assign(u.size(), 0);
    t.by_count.assign(64, 0);
    EscapeCompetition::Workspace work;
    std::vector<std::uint32_t> fired;
    for (int w = 0; w < windows; ++w) {
        Rng rng = Rng::stream(5, StreamPurpose::test_fixture, static_cast<std::uint64_t>(w));
        fired.clear();
        c.run(u, rng, work, fired, nullptr, t.counters);
        for (const std::uint32_t k : fired) ++t.by_channel[k];
        ++t.by_count[std::min<std::size_t>(fired.size(), 63)];
        t.spikes += fired.size();
    }
    return t;
}

// The same circuit written out neuron by neuron on a fine time grid (dt = 2 µs): every channel has its own
// membrane u_k - I and fires in a step with probability R0 exp((u_k - I - theta) / T) dt; the inhibition
// decays and each spike adds J. An independent reference for the exact, factorised simulation.
Tally run_on_grid(const EscapeCompetition& c, const std::vector<float>& u, int windows) {
    const EscapeCompetitionParams& p = c.params();
    Tally t;
    t.by_channel.assign(u.size(), 0);
    t.by_count.assign(64, 0);
    const double dt = 2e-6;
    const auto steps = static_cast<int>(std::lround(p.window_s / dt));
    const double decay = std::exp(-dt / p.inhibition_tau_s);
    for (int w = 0; w < windows; ++w) {
        Rng rng = Rng::stream(9, StreamPurpose::test_fixture, static_cast<std::uint64_t>(w));
        double inhibition = p.loop_gain * p.temperature;
        std::size_t count = 0;
        for (int s = 0; s < steps; ++s) {
            double fired = 0.0;
            for (std::size_t k = 0; k < u.size(); ++k) {
                const double hazard = p.rate_hz * std::exp((u[k] - inhibition - c.threshold()) / p.temperature);
                if (rng.uniform() < hazard * dt) {
                    ++t.by_channel[k];
                    ++count;
                    fired += 1.0;
                }
            }
            inhibition = inhibition * decay + fired * c.inhibition();
        }
        ++t.by_count[std::min<std::size_t>(count, 63)];
        t.spikes += count;
    }
    return t;
}

}  // namespace

TEST_CASE("the LIF competition's spikes follow softmax(u / T) over a position's channels") {
    const std::vector<float> u{0.3F, -0.2F, 0.9F, 0.1F};
    EscapeCompetition c(circuit());
    c.set_typical_free_energy(EscapeCompetition::free_energy(u, kT));
    const Tally t = run_many(c, u, 40000);
    REQUIRE(t.spikes > 50000);
    const std::vector<double> y = softmax(u);
    for (std::size_t k = 0; k < u.size(); ++k) {
        const double share = static_cast<double>(t.by_channel[k]) / static_cast<double>(t.spikes);
        const double se = std::sqrt(y[k] * (1.0 - y[k]) / static_cast<double>(t.spikes));
        CAPTURE(k);
        CHECK(std::abs(share - y[k]) < 4.5 * se);
    }
    // A hard maximum would give channel 2 every spike; at twice the temperature its share would be 0.43.
    CHECK(y[2] == doctest::Approx(0.620).epsilon(0.01));
}

TEST_CASE(
    "the LIF competition's exact spike times give the same count distribution as the circuit stepped neuron by "
    "neuron on a fine grid") {
    const std::vector<float> u{0.3F, -0.2F, 0.9F, 0.1F};
    for (const double shift : {-2.0, 0.0, 3.0}) {  // below, at and above the typical free energy
        CAPTURE(shift);
        EscapeCompetition c(circuit());
        c.set_typical_free_energy(EscapeCompetition::free_energy(u, kT) - shift * kT);
        const Tally exact = run_many(c, u, 20000);
        const Tally grid = run_on_grid(c, u, 4000);
        const double mean_exact = static_cast<double>(exact.spikes) / 20000.0;
        const double mean_grid = static_cast<double>(grid.spikes) / 4000.0;
        CHECK(mean_exact == doctest::Approx(mean_grid).epsilon(0.04));
        for (std::size_t n = 0; n < 4; ++n) {
            const double a = static_cast<double>(exact.by_count[n]) / 20000.0;
            const double b = static_cast<double>(grid.by_count[n]) / 4000.0;
            CAPTURE(n);
            CHECK(std::abs(a - b) < 5.0 * std::sqrt(b * (1.0 - b) / 4000.0) + 0.005);
        }
    }
}

TEST_CASE(
    "the LIF competition's inhibition holds the rate near R0 D: drives raised by 3 T, which raise the bare "
    "hazard 20-fold, raise the spikes by less than half") {
    const std::vector<float> u{0.3F, -0.2F, 0.9F, 0.1F};
    EscapeCompetition c(circuit());
    c.set_typical_free_energy(EscapeCompetition::free_energy(u, kT));
    const double at = static_cast<double>(run_many(c, u, 20000).spikes) / 20000.0;
    std::vector<float> raised = u;
    for (float& v : raised) v += static_cast<float>(3.0 * kT);
    const double above = static_cast<double>(run_many(c, raised, 20000).spikes) / 20000.0;
    CAPTURE(at);
    CAPTURE(above);
    // R0 D = 2. The window starts at the mean inhibition G T; its fluctuations raise the mean of exp(-I / T)
    // above exp(-G T / T) (Jensen), so the count sits a third above R0 D (2.64 here).
    CHECK(at > 1.8);
    CHECK(at < 3.0);
    CHECK(above > at);
    CHECK(above < 1.5 * at);
    // Without inhibition's gain the same step multiplies the spikes by e^3.
    EscapeCompetition weak(circuit(0.01));
    weak.set_typical_free_energy(EscapeCompetition::free_energy(u, kT));
    const double bare_at = static_cast<double>(run_many(weak, u, 20000).spikes) / 20000.0;
    const double bare_above = static_cast<double>(run_many(weak, raised, 20000).spikes) / 20000.0;
    CHECK(bare_above / bare_at > 15.0);
}

TEST_CASE(
    "the LIF competition's counts: a drive read per channel, one inhibition evaluation per proposal, and per "
    "spike one synaptic event onto the inhibition and its write") {
    // Gain 1: the inhibition (G T = T) can grow the hazard at most e-fold over the window, so the window is
    // one sub-interval; a threshold far above the drives makes a spike all but impossible (hazard ~ e^-200).
    const std::vector<float> u{0.3F, -0.2F, 0.9F};
    EscapeCompetition c(circuit(1.0));
    c.set_typical_free_energy(100.0);
    EventCounters counters;
    EscapeCompetition::Workspace work;
    std::vector<std::uint32_t> fired;
    Rng rng(1);
    c.run(u, rng, work, fired, nullptr, counters);
    CHECK(fired.empty());
    CHECK(counters.membrane_updates == 3 + 1);
    CHECK(counters.synaptic_events == 0);
    // At the typical free energy: every spike one event, and one write beside the evaluations.
    c.set_typical_free_energy(EscapeCompetition::free_energy(u, kT));
    EventCounters busy;
    std::vector<float> times;
    for (int w = 0; w < 200; ++w) c.run(u, rng, work, fired, &times, busy);
    CHECK(busy.synaptic_events == fired.size());
    CHECK(busy.effective_acs == fired.size());
    CHECK(busy.membrane_updates >= 200 * 3 + 2 * fired.size());
    CHECK(times.size() == fired.size());
    for (const float s : times) CHECK((s >= 0.0F && s < 0.02F));
}

TEST_CASE("the LIF competition's circuit is derived from the gain: J = G T / (R0 tau_I), theta = F* - G T") {
    EscapeCompetition c(circuit(20.0));
    CHECK(c.inhibition() == doctest::Approx(20.0 * kT / (100.0 * 0.02)));
    c.set_typical_free_energy(1.5);
    CHECK(c.threshold() == doctest::Approx(1.5 - 20.0 * kT));
    CHECK(EscapeCompetition::free_energy(std::vector<float>{0.0F, 0.0F}, kT) == doctest::Approx(kT * std::log(2.0)));
    CHECK_THROWS_AS(EscapeCompetition(circuit(-1.0)), std::invalid_argument);
}
