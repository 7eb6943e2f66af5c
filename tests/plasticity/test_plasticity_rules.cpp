#include <doctest/doctest.h>

#include <vector>

#include "plasticity/hebb.hpp"
#include "plasticity/instar.hpp"
#include "plasticity/oja.hpp"
#include "plasticity/rule_registry.hpp"
#include "plasticity/softhebb.hpp"
#include "plasticity/stdp.hpp"

using namespace softspike;

namespace {

// 3 inputs onto 2 neurons, every weight 0.5.
Projection half_weights() {
    Projection w(3, 2, 0);
    for (float& v : w.weights()) v = 0.5F;
    return w;
}

const std::vector<float> kPre{1.0F, 0.0F, 0.25F};

}  // namespace

TEST_CASE("the spiking forms of Hebb, instar and Oja update the spiking neuron's synapses as hand-computed") {
    EventCounters counters;
    SUBCASE("Hebb: w += eta x_hat") {
        Projection w = half_weights();
        Hebb(0.1).on_post({1, 0.7F}, kPre, w, counters);
        CHECK(w.at(0, 1) == doctest::Approx(0.6));
        CHECK(w.at(1, 1) == doctest::Approx(0.5));
        CHECK(w.at(2, 1) == doctest::Approx(0.525));
        CHECK(w.at(0, 0) == doctest::Approx(0.5));  // the other neuron is untouched
    }
    SUBCASE("instar: w += eta (x_hat - w)") {
        Projection w = half_weights();
        Instar(0.1).on_post({1, 0.7F}, kPre, w, counters);
        CHECK(w.at(0, 1) == doctest::Approx(0.55));
        CHECK(w.at(1, 1) == doctest::Approx(0.45));
        CHECK(w.at(2, 1) == doctest::Approx(0.475));
    }
    SUBCASE("Oja: w += eta (x_hat - y_hat w), y_hat the neuron's share of the output spikes") {
        Projection w = half_weights();
        PostSpike post{1, 0.7F};
        post.output_share = 0.5F;
        Oja(0.1).on_post(post, kPre, w, counters);
        CHECK(w.at(0, 1) == doctest::Approx(0.575));
        CHECK(w.at(1, 1) == doctest::Approx(0.475));
        CHECK(w.at(2, 1) == doctest::Approx(0.5));
    }
    SUBCASE("a batched update of 3 spikes takes 3 steps' worth") {
        Projection w = half_weights();
        PostSpike post{0, 0.7F, 3};
        Hebb(0.1).on_post(post, kPre, w, counters);
        CHECK(w.at(0, 0) == doctest::Approx(0.8));
    }
    CHECK(counters.plasticity_updates == 3);
}

TEST_CASE("pair STDP: pre before post potentiates, post before pre depresses, by the traces, within bounds") {
    StdpParams p;
    p.learning_rate = 0.1;
    p.depression = 0.5;
    p.tau_post_ms = 20.0;
    Stdp rule(p);
    Projection w = half_weights();
    EventCounters counters;
    // Post spike of neuron 0 at 10 ms: potentiation by eta * pre trace.
    PostSpike post{0, 0.0F};
    post.time = ms_to_ticks(10.0);
    rule.on_post(post, kPre, w, counters);
    CHECK(w.at(0, 0) == doctest::Approx(0.6));
    CHECK(w.at(2, 0) == doctest::Approx(0.525));
    CHECK(counters.plasticity_updates == 3);
    CHECK(counters.trace_updates == 1);
    // Pre spike of input 1 at 30 ms: neuron 0's post trace is exp(-20/20); neuron 1 never fired.
    rule.on_pre(1, ms_to_ticks(30.0), w, counters);
    CHECK(w.at(1, 0) == doctest::Approx(0.5 - 0.05 * std::exp(-1.0)).epsilon(1e-6));
    CHECK(w.at(1, 1) == doctest::Approx(0.5));
    CHECK(counters.plasticity_updates == 5);
    // The bounds hold: many post spikes cannot push a weight past weight_max.
    for (int s = 0; s < 20; ++s) {
        post.time += ms_to_ticks(1.0);
        rule.on_post(post, kPre, w, counters);
    }
    CHECK(w.at(0, 0) == doctest::Approx(1.0));
    // Its state (post traces and times) restores into a fresh rule that continues identically.
    Stdp copy(p);
    copy.restore(rule.state());
    Projection w1 = w;
    Projection w2 = w;
    rule.on_pre(2, post.time + 5000, w1, counters);
    copy.on_pre(2, post.time + 5000, w2, counters);
    CHECK(w1.weights() == w2.weights());
    CHECK(w1.at(2, 0) < w.at(2, 0));
}

TEST_CASE("make_rule builds the rule the config names, and only STDP lacks a rate form") {
    PlasticityParams c;
    for (const char* name : {"softhebb", "hebb", "oja", "instar"}) {
        c.rule = name;
        CHECK(make_rule(c)->has_rate_form());
    }
    c.rule = "stdp";
    CHECK_FALSE(make_rule(c)->has_rate_form());
    CHECK(dynamic_cast<Stdp*>(make_rule(c).get()) != nullptr);
    c.rule = "oja";
    CHECK(dynamic_cast<Oja*>(make_rule(c).get()) != nullptr);
}

TEST_CASE("the schedule's rate scale multiplies every rule's step") {
    EventCounters counters;
    const PostSpike post{1, 0.7F, 1, ms_to_ticks(10.0), 1.0F};
    // A fresh rule each time (STDP keeps traces): one post spike, then one pre spike 2 ms later.
    auto step = [&](const std::string& name, float scale) {
        PlasticityParams config;
        config.rule = name;
        config.learning_rate = 0.1;
        const auto rule = make_rule(config);
        Projection w = half_weights();
        rule->set_rate_scale(scale);
        rule->on_post(post, kPre, w, counters);
        rule->on_pre(0, ms_to_ticks(12.0), w, counters);  // STDP depresses here; the others ignore it
        return w.at(0, 1) - 0.5F;
    };
    for (const std::string name : {"softhebb", "hebb", "oja", "instar", "stdp"}) {
        CAPTURE(name);
        const float full = step(name, 1.0F);
        REQUIRE(full != 0.0F);
        CHECK(step(name, 0.25F) == doctest::Approx(0.25F * full));
        CHECK(step(name, 0.0F) == 0.0F);
    }
}

TEST_CASE("the normalised update moves the largest-term synapse by exactly eta, the others in proportion") {
    // SoftHebb at u = 0.7: terms x_hat - u w = {1 - 0.35, 0 - 0.35, 0.25 - 0.35} = {0.65, -0.35, -0.1}; the
    // largest |term| is 0.65, so the steps are eta * {1, -0.35/0.65, -0.1/0.65}.
    EventCounters counters;
    Projection w = half_weights();
    SoftHebb(0.1, 0.0, true).on_post({1, 0.7F}, kPre, w, counters);
    CHECK(w.at(0, 1) == doctest::Approx(0.6));
    CHECK(w.at(1, 1) == doctest::Approx(0.5 - 0.1 * 0.35 / 0.65));
    CHECK(w.at(2, 1) == doctest::Approx(0.5 - 0.1 * 0.1 / 0.65));
    CHECK(w.at(0, 0) == 0.5F);
    CHECK(counters.plasticity_updates == 3);  // one read-modify-write per synapse, as without normalisation
    // A negative step (anti-Hebbian) is normalised alike; instar's terms x_hat - w = {0.5, -0.5, -0.25}.
    Projection v = half_weights();
    PostSpike anti{1, 0.7F};
    anti.sign = -1.0F;
    Instar(0.2, true).on_post(anti, kPre, v, counters);
    CHECK(v.at(0, 1) == doctest::Approx(0.3));
    CHECK(v.at(1, 1) == doctest::Approx(0.7));
    CHECK(v.at(2, 1) == doctest::Approx(0.6));
    // Without normalisation the same spike moves synapse 0 by eta * 0.65 only.
    Projection plain = half_weights();
    SoftHebb(0.1).on_post({1, 0.7F}, kPre, plain, counters);
    CHECK(plain.at(0, 1) == doctest::Approx(0.5 + 0.1 * 0.65));
}
