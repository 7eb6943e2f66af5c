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

// Pair-based STDP with traces (Diehl & Cook 2015; docs/model.md §5.3), spiking form only: a postsynaptic spike of
// k potentiates every synapse onto k by eta * x_hat_i (the presynaptic trace, pre before post); a
// presynaptic spike of i depresses every synapse from i by depression * eta * y_hat_k (the postsynaptic
// trace, post before pre). Weights are clipped to [weight_min, weight_max]. The post traces are kept here,
// so a pre spike costs one row of N updates and no clock.
class Stdp final : public PlasticityRule {
public:
    explicit Stdp(const StdpParams& params);
    void on_pre(std::uint32_t source, tick_t t, Projection& weights, EventCounters& counters) override;
    // The depression of on_pre as a pre-row update, so the delivery applies it in its own pass over the row.
    [[nodiscard]] PreRowUpdate pre_row_update(tick_t t, std::size_t targets) override;
    void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                 EventCounters& counters) override;
    [[nodiscard]] bool has_rate_form() const override { return false; }
    // No rate form: the rate model refuses plasticity.rule "stdp" before it calls this.
    void rate_terms(std::span<const float> /*u*/, std::span<const float> /*y*/, std::span<float> /*hebb*/,
                    std::span<float> /*decay*/) const override {}
    // The scaled post traces and their time origin: [scaled_0, ..., scaled_{N-1}, origin].
    [[nodiscard]] std::vector<double> state() const override;
    void restore(std::vector<double> state) override;

private:
    void ensure_size(std::size_t neurons);
    // exp(-(t - origin) / tau); moves the origin to t first when the scaled traces would grow too large.
    float decay_since_origin(tick_t t);

    StdpParams params_;
    // Post traces stored as trace_k(t) * exp((t - origin) / tau), which does not change between spikes: a pre
    // spike reads every trace with one exp for the whole row instead of one per neuron (the profile of the
    // Brian2 workload had 72% of its time in that loop and its exps).
    std::vector<float> scaled_;
    tick_t origin_ = 0;
};

}  // namespace softspike
