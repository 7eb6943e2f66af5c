#pragma once
#include <cstdint>
#include <vector>

#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// Parameters of pair-based STDP.
struct StdpParams {
    double learning_rate = 0.01;  // potentiation per post spike, times the pre trace
    double depression = 0.5;      // depression per pre spike = depression * learning_rate * post trace
    double tau_post_ms = 20.0;    // time constant of the postsynaptic trace
    double weight_min = 0.0;      // hard bounds, as on a chip's synapse memory
    double weight_max = 1.0;
};

// Pair-based STDP with traces (Diehl & Cook 2015; model.md §1), spiking form only: a postsynaptic spike of
// k potentiates every synapse onto k by eta * x_hat_i (the presynaptic trace, pre before post); a
// presynaptic spike of i depresses every synapse from i by depression * eta * y_hat_k (the postsynaptic
// trace, post before pre). Weights are clipped to [weight_min, weight_max]. The post traces are kept here,
// decayed lazily from each neuron's last spike, so a pre spike costs one row of N updates and no clock.
class Stdp final : public PlasticityRule {
public:
    explicit Stdp(const StdpParams& params);
    void on_pre(std::uint32_t source, tick_t t, Projection& weights, EventCounters& counters) override;
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    [[nodiscard]] bool has_rate_form() const override { return false; }
    // No rate form: the rate model refuses plasticity.rule "stdp" before it calls this.
    void rate_terms(std::span<const float> /*u*/, std::span<const float> /*y*/, std::span<float> /*hebb*/,
                    std::span<float> /*decay*/) const override {}
    // Post traces and their times: [trace_0, time_0, trace_1, time_1, ...].
    [[nodiscard]] std::vector<double> state() const override;
    void restore(std::vector<double> state) override;

private:
    [[nodiscard]] float post_trace(std::uint32_t neuron, tick_t t) const;
    void ensure_size(std::size_t neurons);

    StdpParams params_;
    std::vector<float> trace_;  // per neuron, at its last spike, after the jump
    std::vector<tick_t> last_;  // per neuron, time of its last spike
};

}  // namespace softspike
