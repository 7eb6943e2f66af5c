#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.hpp"
#include "core/projection.hpp"
#include "core/random.hpp"
#include "core/synaptic_row.hpp"
#include "core/time.hpp"
#include "neurons/population_params.hpp"

namespace softspike {

// The state of one soft-WTA population and its input traces during one sample presentation.
// Learned parameters (weights, biases) are not owned here: they are passed in, so that several threads can
// present samples to the same frozen network, each with its own population state.
//
// Exact decay without a clock tick: every trace, drive and inhibition variable decays with the same time
// constant tau, so each is stored multiplied by s(t) = exp((t - t_a) / tau), t_a being the first possible
// arrival of the sample. Stored values then change only at events; the true value is stored / s(t).
class SoftWtaPopulation {
public:
    SoftWtaPopulation(std::size_t inputs, const PopulationParams& params, double tau_ms);

    // Starts a presentation whose first spike can arrive at `arrival_onset`. Clears traces and membranes:
    // the rest between samples is taken as long enough for everything to decay.
    // `graded`: the sample's spikes carry graded amplitudes (counted as MACs, else as ACs).
    void begin_sample(tick_t arrival_onset, bool warmup_correction, bool graded = false);

    // An input spike arrives through its row of synapses: trace update, then one accumulate per synapse.
    // In the LIF form, the neurons that reach threshold are returned (ascending index), else empty.
    // `live` is the number of synapses present in the row (fewer than the neurons when some are dead: their
    // weight is zero and the chip has no such synapse, so they are not counted).
    std::span<const std::uint32_t> deliver(std::uint32_t source, float amplitude, tick_t t, const Projection& weights,
                                           std::span<const float> biases, EventCounters& counters,
                                           std::uint32_t live = all_synapses);
    static constexpr std::uint32_t all_synapses = 0xFFFFFFFFU;
    // The same, applying a plasticity rule's pre-row update to the row in the same pass (STDP's depression):
    // the weights are updated first, then delivered, exactly as the rule's on_pre followed by deliver.
    std::span<const std::uint32_t> deliver_updating(std::uint32_t source, float amplitude, tick_t t,
                                                    Projection& weights, const PreRowUpdate& update,
                                                    std::span<const float> biases, EventCounters& counters,
                                                    std::uint32_t live = all_synapses);

    // Stochastic form: the neuron that emits the population spike at t, drawn from softmax(u(t) / temperature).
    std::uint32_t draw_winner(tick_t t, std::span<const float> biases, Rng& rng);

    // LIF form with escape noise (docs/model.md §4.3): the population's total hazard sum_k rho_k(t), per tick,
    // rho_k = output_rate_hz * exp((u_k - I_k - threshold) / temperature). Every neuron's hazard is one
    // membrane update.
    double escape_rate(tick_t t, std::span<const float> biases, EventCounters& counters);
    // The neuron that fires when the population fires at t: drawn with probability rho_k / sum_l rho_l.
    std::uint32_t draw_escaping(tick_t t, std::span<const float> biases, Rng& rng, EventCounters& counters);
    // Sets every neuron's inhibition I_k to `level` at t (the escape form's steady state at its onset).
    void set_inhibition(tick_t t, double level);

    // LIF form: neuron `spiker` inhibits every other neuron at t; `reset` subtracts its threshold.
    void inhibit_others(std::uint32_t spiker, tick_t t, EventCounters& counters);
    void reset(std::uint32_t neuron, tick_t t, EventCounters& counters);

    // u_k(t) = w_k . x_hat(t) + b_k, the feed-forward drive the plasticity rule sees (docs/model.md §4).
    [[nodiscard]] float drive(std::uint32_t neuron, tick_t t, std::span<const float> biases) const;
    // The neuron with the largest drive u_k(t) (the lowest index among equals), as the rate form's argmax.
    [[nodiscard]] std::uint32_t most_driven(tick_t t, std::span<const float> biases) const;
    // Every neuron's drive u_k(t), into `out` (one value per neuron).
    void drives(tick_t t, std::span<const float> biases, std::span<float> out) const;
    // x_hat(t): every presynaptic trace read as an estimate of the normalised input.
    [[nodiscard]] std::span<const float> pre_estimates(tick_t t);

    void record_spike(std::uint32_t neuron) { ++spike_counts_[neuron]; }
    [[nodiscard]] std::span<const std::uint32_t> spike_counts() const { return spike_counts_; }
    [[nodiscard]] std::size_t size() const { return drive_.size(); }

private:
    std::span<const std::uint32_t> deliver_row(std::uint32_t source, float amplitude, tick_t t, float* row,
                                               const PreRowUpdate& update, std::span<const float> biases,
                                               EventCounters& counters, std::uint32_t live);
    // Every neuron's (u_k - I_k) / temperature into logits_, and their maximum; counts N membrane updates.
    float escape_logits(tick_t t, std::span<const float> biases, EventCounters& counters);
    // The neuron at `point` in [0, 1) of the distribution whose fixed-point weights fixed_ holds.
    [[nodiscard]] std::uint32_t inverse_cdf(double point) const;
    [[nodiscard]] double scale(tick_t t) const;       // s(t)
    [[nodiscard]] double correction(tick_t t) const;  // warm-up correction of rate-coded traces

    PopulationParams params_;
    double tau_ticks_;
    tick_t arrival_onset_ = 0;
    bool warmup_correction_ = true;
    bool graded_ = false;
    std::vector<float> trace_;       // per input, scaled by s(t)
    std::vector<float> drive_;       // per neuron: sum_i w_ki * trace_i, scaled by s(t)
    std::vector<float> inhibition_;  // per neuron (LIF): lateral inhibition + resets, scaled by s(t)
    std::vector<std::uint32_t> spike_counts_;
    std::vector<std::uint32_t> crossed_;
    std::vector<float> estimates_;
    std::vector<std::uint64_t> fixed_;  // the draw's weights in fixed point
    std::uint64_t fixed_total_ = 0;     // their sum
    double fixed_one_;                  // 1 in that fixed point: 2^52, less in populations over 2048
    std::vector<float> logits_;
    double phase_ = -1.0;  // low-discrepancy draws: the last point of the sample's sequence (< 0: none yet)
};

}  // namespace softspike
