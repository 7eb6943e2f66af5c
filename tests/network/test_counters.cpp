#include <doctest/doctest.h>

#include <cmath>

#include "network/spiking_network.hpp"
#include "plasticity/softhebb.hpp"

using namespace softspike;

namespace {

EncoderParams encoder_params() {
    EncoderParams e;
    e.presentation_ms = 10.0;
    e.trace_tau_ms = 20.0;
    return e;
}

// Three inputs, two neurons; four input spikes at known times (a latency-style, uncorrected train).
EncodedSample four_spikes() {
    EncodedSample s;
    s.warmup_correction = false;
    s.spikes = {{1000, 0, 1.0F}, {2000, 2, 1.0F}, {2000, 1, 0.5F}, {5000, 0, 1.0F}};
    return s;
}

// Two LIF neurons, threshold 0.5, lateral inhibition 0.2 after 0.5 ms.
PopulationParams two_lif_neurons() {
    PopulationParams p;
    p.neurons = 2;
    p.kind = WtaKind::lif;
    p.threshold = 0.5;
    p.inhibition = 0.2;
    p.inhibition_delay_ms = 0.5;
    return p;
}

NetworkModel three_by_two() {
    NetworkModel m{Projection(3, 2, ms_to_ticks(1.0)), {0.0F, 0.0F}};
    // Neuron 0 listens to input 0, neuron 1 to input 2.
    m.weights.at(0, 0) = 0.6F;
    m.weights.at(1, 0) = 0.1F;
    m.weights.at(2, 0) = 0.0F;
    m.weights.at(0, 1) = 0.0F;
    m.weights.at(1, 1) = 0.1F;
    m.weights.at(2, 1) = 0.3F;
    return m;
}

}  // namespace

TEST_CASE("counts on a 3-input, 2-neuron network without output spikes equal the hand count") {
    PopulationParams p;
    p.neurons = 2;
    p.kind = WtaKind::stochastic;
    p.output_rate_hz = 0.0;  // the population stays silent
    SpikingNetwork net(3, p, encoder_params());
    NetworkModel model = three_by_two();
    Rng rng(1);
    const auto counts = net.present(four_spikes(), 0, model, rng);
    const EventCounters& c = net.counters();
    CHECK(c.input_spikes == 4);
    CHECK(c.synaptic_events == 4 * 2);
    CHECK(c.membrane_updates == 4 * 2);
    CHECK(c.trace_updates == 4);
    CHECK(c.output_spikes == 0);
    CHECK(c.plasticity_updates == 0);
    CHECK(counts[0] + counts[1] == 0);
}

TEST_CASE("LIF form: a threshold crossing, its reset, lateral inhibition and SoftHebb are each counted once") {
    PopulationParams p = two_lif_neurons();
    p.homeostasis_rate = 0.01;
    SpikingNetwork net(3, p, encoder_params());
    NetworkModel model = three_by_two();
    SoftHebb rule(0.1);
    Rng rng(1);
    // Neuron 0's potential: 0.6 after the spike at 1 ms (arrival 2 ms): above 0.5, it fires once and is reset
    // by 0.5. At 3 ms (arrival of inputs 2 and 1) it gets +0.05 more; at 6 ms +0.6 again: v is then
    // 0.6*e^{-4/20} - 0.5*e^{-4/20} + 0.05*e^{-3/20} + 0.6 = 0.725 > 0.5, a second spike.
    // Neuron 1 gets 0.3 + 0.05 minus inhibition: it never reaches 0.5.
    const auto counts = net.present_learning(four_spikes(), 0, model, rule, rng);
    const EventCounters& c = net.counters();
    CHECK(counts[0] == 2);
    CHECK(counts[1] == 0);
    CHECK(c.input_spikes == 4);
    CHECK(c.output_spikes == 2);
    // 4 input spikes x 2 synapses, plus 2 inhibitory spikes x 1 other neuron.
    CHECK(c.synaptic_events == 4 * 2 + 2 * 1);
    // 8 accumulates + 2 inhibitions + 2 resets.
    CHECK(c.membrane_updates == 8 + 2 + 2);
    // SoftHebb rewrites the 3 incoming synapses of the spiking neuron at each of its 2 spikes.
    CHECK(c.plasticity_updates == 2 * 3);
    CHECK(c.bias_updates == 2 * 2);
    CHECK(c.trace_updates == 4);
}

TEST_CASE("the membrane decays exactly between events") {
    PopulationParams p;
    p.neurons = 2;
    p.output_rate_hz = 0.0;
    SoftWtaPopulation population(3, p, 20.0);
    const NetworkModel model = three_by_two();
    EventCounters counters;
    population.begin_sample(0, false);
    (void)population.deliver(0, 1.0F, 1000, model.weights, model.biases, counters);
    (void)population.deliver(2, 1.0F, 4000, model.weights, model.biases, counters);
    const double expected0 = 0.6 * std::exp(-(10000.0 - 1000.0) / 20000.0);
    const double expected1 = 0.3 * std::exp(-(10000.0 - 4000.0) / 20000.0);
    CHECK(population.drive(0, 10000, model.biases) == doctest::Approx(expected0).epsilon(1e-6));
    CHECK(population.drive(1, 10000, model.biases) == doctest::Approx(expected1).epsilon(1e-6));
}

TEST_CASE("the stochastic population fires at output_rate_hz after its onset, whatever the input") {
    PopulationParams p;
    p.neurons = 2;
    p.output_rate_hz = 2000.0;
    p.onset_ms = 4.0;
    EncoderParams e = encoder_params();  // a 10 ms window: 6 ms of firing, 12 spikes expected
    SpikingNetwork net(3, p, e);
    const NetworkModel model = three_by_two();
    const int samples = 20000;
    std::uint64_t total = 0;
    for (int s = 0; s < samples; ++s) {
        Rng rng = Rng::stream(9, StreamPurpose::test_fixture, static_cast<std::uint64_t>(s));
        const auto counts = net.present(four_spikes(), static_cast<tick_t>(s) * net.period(), model, rng);
        total += counts[0] + counts[1];
    }
    CHECK(net.counters().output_spikes == total);
    // Poisson: the mean of 20000 samples of mean 12 has a standard error of 0.0245.
    CHECK(static_cast<double>(total) / samples == doctest::Approx(12.0).epsilon(0.01));
}

namespace {
// A rule that only records which hooks were called, to check the network calls them.
class RecordingRule final : public PlasticityRule {
public:
    std::vector<std::uint32_t> pre;
    std::vector<std::uint32_t> post;
    void on_pre(std::uint32_t source, tick_t /*t*/, Projection& /*weights*/, EventCounters& /*counters*/) override {
        pre.push_back(source);
    }
    void on_post(const PostSpike& spike, std::span<const float> /*pre*/, Projection& /*weights*/,
                 EventCounters& /*counters*/) override {
        post.push_back(spike.neuron);
    }
    void rate_terms(std::span<const float> /*u*/, std::span<const float> /*y*/, std::span<float> /*hebb*/,
                    std::span<float> /*decay*/) const override {}
};
}  // namespace

TEST_CASE("a learning presentation calls the rule's pre hook per arriving spike and post hook per output spike") {
    SpikingNetwork net(3, two_lif_neurons(), encoder_params());
    NetworkModel model = three_by_two();
    RecordingRule rule;
    Rng rng(1);
    (void)net.present_learning(four_spikes(), 0, model, rule, rng);
    // Arrival order at equal times follows the source index: input 1 before input 2 at 3 ms.
    CHECK(rule.pre == std::vector<std::uint32_t>{0, 1, 2, 0});
    CHECK(rule.post == std::vector<std::uint32_t>{0, 0});
    rule.pre.clear();
    (void)net.present(four_spikes(), net.period(), model, rng);
    CHECK(rule.pre.empty());  // frozen: no hook
}

TEST_CASE("effective operations count only nonzero weights - binary spikes are ACs, graded ones MACs") {
    PopulationParams p;
    p.neurons = 2;
    p.output_rate_hz = 0.0;
    SpikingNetwork net(3, p, encoder_params());
    const NetworkModel model = three_by_two();  // zero weights: (input 2, neuron 0) and (input 0, neuron 1)
    Rng rng(1);
    EncodedSample binary = four_spikes();  // inputs 0, 2, 1, 0: nonzero synapses 1 + 1 + 2 + 1
    (void)net.present(binary, 0, model, rng);
    CHECK(net.counters().synaptic_events == 8);
    CHECK(net.counters().effective_acs == 5);
    CHECK(net.counters().effective_macs == 0);
    EncodedSample graded = four_spikes();
    graded.graded = true;
    (void)net.present(graded, net.period(), model, rng);
    CHECK(net.counters().effective_acs == 5);
    CHECK(net.counters().effective_macs == 5);
}

TEST_CASE("LIF form: inhibitory synaptic events are effective ACs") {
    SpikingNetwork net(3, two_lif_neurons(), encoder_params());
    NetworkModel model = three_by_two();
    SoftHebb rule(0.0);  // no weight change: the zero weights stay zero
    Rng rng(1);
    (void)net.present_learning(four_spikes(), 0, model, rule, rng);
    // 5 input deliveries through nonzero weights + 2 inhibitory spikes x 1 other neuron.
    CHECK(net.counters().effective_acs == 5 + 2);
}

TEST_CASE("plasticity batched per update window: one read-modify-write per synapse per window per spiking neuron") {
    // The LIF example above: neuron 0 spikes at 2 ms and 6 ms (arrival times).
    for (const auto& [window_ms, updates] :
         std::vector<std::pair<double, std::uint64_t>>{{0.0, 6}, {2.0, 6}, {20.0, 3}}) {
        CAPTURE(window_ms);
        SpikingNetwork net(3, two_lif_neurons(), encoder_params());
        net.set_plasticity_window(ms_to_ticks(window_ms));
        NetworkModel model = three_by_two();
        SoftHebb rule(0.1);
        Rng rng(1);
        const auto counts = net.present_learning(four_spikes(), 0, model, rule, rng);
        CHECK(counts[0] == 2);
        CHECK(net.counters().plasticity_updates == updates);
        CHECK(model.weights.weights() != three_by_two().weights.weights());
    }
}

TEST_CASE("the drive read at the window's last tick is w . x_hat + b, and reading it draws and counts nothing") {
    PopulationParams p;
    p.neurons = 2;
    p.output_rate_hz = 0.0;  // the drive read-out draws no output spikes
    SpikingNetwork net(3, p, encoder_params());
    NetworkModel model = three_by_two();
    model.biases = {0.05F, -0.02F};
    Rng rng(1);
    (void)net.present(four_spikes(), 0, model, rng);
    const EventCounters before = net.counters();
    std::vector<float> drive(2);
    net.final_drives(model, drive);
    CHECK(net.counters() == before);
    REQUIRE(drive.size() == 2);
    // Arrivals one delay (1 ms) late; the window's last tick is 1 ms + 10 ms - 1 tick. Uncorrected traces.
    const double last = 11000.0 - 1.0;
    auto decay = [&](double arrival) { return std::exp(-(last - arrival) / 20000.0); };
    const double x0 = decay(2000.0) + decay(6000.0);
    const double x1 = 0.5 * decay(3000.0);
    const double x2 = decay(3000.0);
    CHECK(drive[0] == doctest::Approx(0.6 * x0 + 0.1 * x1 + 0.05).epsilon(1e-5));
    CHECK(drive[1] == doctest::Approx(0.1 * x1 + 0.3 * x2 - 0.02).epsilon(1e-5));
}
