#include "neurons/soft_wta_population.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/fast_exp.hpp"

namespace softspike {

SoftWtaPopulation::SoftWtaPopulation(std::size_t inputs, const PopulationParams& params, double tau_ms)
    : params_(params),
      tau_ticks_(tau_ms * static_cast<double>(ticks_per_ms)),
      trace_(inputs, 0.0F),
      drive_(params.neurons, 0.0F),
      inhibition_(params.neurons, 0.0F),
      spike_counts_(params.neurons, 0U),
      estimates_(inputs, 0.0F),
      cumulative_(params.neurons, 0.0),
      logits_(params.neurons, 0.0F) {
    crossed_.reserve(params.neurons);
}

void SoftWtaPopulation::begin_sample(tick_t arrival_onset, bool warmup_correction, bool graded) {
    arrival_onset_ = arrival_onset;
    graded_ = graded;
    warmup_correction_ = warmup_correction;
    std::fill(trace_.begin(), trace_.end(), 0.0F);
    std::fill(drive_.begin(), drive_.end(), 0.0F);
    std::fill(inhibition_.begin(), inhibition_.end(), 0.0F);
    std::fill(spike_counts_.begin(), spike_counts_.end(), 0U);
    phase_ = -1.0;
}

double SoftWtaPopulation::scale(tick_t t) const {
    return std::exp(static_cast<double>(t - arrival_onset_) / tau_ticks_);
}

double SoftWtaPopulation::correction(tick_t t) const {
    if (!warmup_correction_) return 1.0;
    // The expectation of a rate-coded trace is rate * tau * (1 - exp(-elapsed / tau)).
    const double elapsed = static_cast<double>(std::max<tick_t>(t - arrival_onset_, 1));
    return 1.0 / -std::expm1(-elapsed / tau_ticks_);
}

std::span<const std::uint32_t> SoftWtaPopulation::deliver(std::uint32_t source, float amplitude, tick_t t,
                                                          const Projection& weights, std::span<const float> biases,
                                                          EventCounters& counters, std::uint32_t live) {
    // Without an update the row is only read (see pass_row).
    return deliver_row(source, amplitude, t, const_cast<float*>(weights.row(source).data()), PreRowUpdate{}, biases,
                       counters, live);
}

std::span<const std::uint32_t> SoftWtaPopulation::deliver_updating(std::uint32_t source, float amplitude, tick_t t,
                                                                   Projection& weights, const PreRowUpdate& update,
                                                                   std::span<const float> biases,
                                                                   EventCounters& counters, std::uint32_t live) {
    if (update.active()) counters.plasticity_updates += weights.targets();
    return deliver_row(source, amplitude, t, weights.row(source).data(), update, biases, counters, live);
}

std::span<const std::uint32_t> SoftWtaPopulation::deliver_row(std::uint32_t source, float amplitude, tick_t t,
                                                              float* row, const PreRowUpdate& update,
                                                              std::span<const float> biases, EventCounters& counters,
                                                              std::uint32_t live) {
    const double s = scale(t);
    const auto increment = static_cast<float>(amplitude * s);
    trace_[source] += increment;
    ++counters.trace_updates;

    const std::size_t n = drive_.size();
    const bool lif = params_.kind == WtaKind::lif;
    // LIF: v_k = drive_k / s + b_k - inhibition_k / s >= threshold, multiplied through by s > 0.
    const RowThreshold test{inhibition_.data(), biases.data(), static_cast<float>(params_.threshold),
                            static_cast<float>(s)};
    const RowPass pass = pass_row(drive_.data(), row, increment, n, update, lif ? &test : nullptr);
    const std::uint64_t reached = live == all_synapses ? n : live;
    counters.synaptic_events += reached;
    counters.membrane_updates += reached;
    (graded_ ? counters.effective_macs : counters.effective_acs) += pass.nonzero;

    crossed_.clear();
    if (pass.crossed) list_crossers(drive_.data(), n, test, crossed_);
    return crossed_;
}

std::uint32_t SoftWtaPopulation::draw_winner(tick_t t, std::span<const float> biases, Rng& rng) {
    // This is the cost of an output spike: one exponential per neuron. Logits and exponentials are in float
    // and the exponential is a branch-free polynomial (core/fast_exp.hpp), so the two loops below vectorise;
    // the running sum stays in double so that the draw is exact to float rounding.
    const auto gain = static_cast<float>(correction(t) / scale(t));
    const auto inv_temperature = static_cast<float>(1.0 / params_.temperature);
    const std::size_t n = drive_.size();
    float* __restrict weight = logits_.data();
    const float* __restrict drive = drive_.data();
    const float* __restrict bias = biases.data();
    float max_logit = -std::numeric_limits<float>::infinity();
    for (std::size_t k = 0; k < n; ++k) {
        weight[k] = (drive[k] * gain + bias[k]) * inv_temperature;
        max_logit = std::max(max_logit, weight[k]);
    }
    for (std::size_t k = 0; k < n; ++k) weight[k] = fast_exp_nonpositive(weight[k] - max_logit);
    double total = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        total += static_cast<double>(weight[k]);
        cumulative_[k] = total;
    }
    double point = 0.0;
    if (params_.low_discrepancy) {
        // The golden ratio's fractional part: the additive sequence with the most even gaps (Weyl, Kronecker).
        constexpr double step = 0.6180339887498949;
        phase_ = phase_ < 0.0 ? rng.uniform() : phase_ + step;
        if (phase_ >= 1.0) phase_ -= 1.0;
        point = phase_;
    } else {
        point = rng.uniform();
    }
    const double target = point * total;
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    return static_cast<std::uint32_t>(
        std::min<std::ptrdiff_t>(it - cumulative_.begin(), static_cast<std::ptrdiff_t>(n) - 1));
}

void SoftWtaPopulation::inhibit_others(std::uint32_t spiker, tick_t t, EventCounters& counters) {
    const auto amount = static_cast<float>(params_.inhibition * scale(t));
    const std::size_t n = inhibition_.size();
    // Added to all and the spiker's own value put back: a branch-free loop that vectorises (the branchy one
    // was 4% of the LIF benchmark), with the same result.
    const float own = inhibition_[spiker];
    for (float& v : inhibition_) v += amount;
    inhibition_[spiker] = own;
    counters.synaptic_events += n - 1;
    counters.membrane_updates += n - 1;
    // Binary spikes through equal inhibitory weights: accumulates, effective when the weight is nonzero.
    if (params_.inhibition != 0.0) counters.effective_acs += n - 1;
}

void SoftWtaPopulation::reset(std::uint32_t neuron, tick_t t, EventCounters& counters) {
    inhibition_[neuron] += static_cast<float>(params_.threshold * scale(t));
    ++counters.membrane_updates;
}

float SoftWtaPopulation::drive(std::uint32_t neuron, tick_t t, std::span<const float> biases) const {
    return static_cast<float>(drive_[neuron] * correction(t) / scale(t)) + biases[neuron];
}

std::span<const float> SoftWtaPopulation::pre_estimates(tick_t t) {
    const auto gain = static_cast<float>(correction(t) / scale(t));
    for (std::size_t i = 0; i < trace_.size(); ++i) estimates_[i] = trace_[i] * gain;
    return estimates_;
}

}  // namespace softspike
