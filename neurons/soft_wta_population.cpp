#include "neurons/soft_wta_population.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "core/fast_exp.hpp"

namespace softspike {

namespace {
// The fraction bits of the draw's fixed-point weights: 52 (a double's precision), fewer when n weights of at
// most 1 would not sum below 2^63 (n > 2048).
int fraction_bits(std::size_t n) { return std::min(52, 62 - static_cast<int>(std::bit_width(n))); }
}  // namespace

SoftWtaPopulation::SoftWtaPopulation(std::size_t inputs, const PopulationParams& params, double tau_ms)
    : params_(params),
      tau_ticks_(tau_ms * static_cast<double>(ticks_per_ms)),
      trace_(inputs, 0.0F),
      drive_(params.neurons, 0.0F),
      inhibition_(params.neurons, 0.0F),
      spike_counts_(params.neurons, 0U),
      estimates_(inputs, 0.0F),
      fixed_(params.neurons, 0U),
      fixed_one_(std::ldexp(1.0, fraction_bits(params.neurons))),
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
    // A hard threshold only in the LIF form without escape noise, whose crossings are found here.
    const bool lif = params_.kind == WtaKind::lif && !params_.escape_noise;
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

namespace {

// Clang (the fuzz build) cannot multi-version a function template; there the draw is compiled once, which
// gives the same bits (see core/vector_clones.hpp).
#if defined(__clang__)
#define SOFTSPIKE_DRAW_CLONES
#else
#define SOFTSPIKE_DRAW_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif

// logit_k = (drive_k * gain + bias_k - inhibition_k * inhibition_gain) / temperature, and their maximum (the
// inhibition term only when `Inhibited`: the escape-noise LIF form). The maximum is kept per lane of 16 and
// reduced at the end: max is exact in any order, and the split lets the loop vectorise (a single running
// maximum is a reduction the compiler may not reorder).
// Finite logits (drives and biases are finite), so finite-math-only changes nothing but lets max vectorise.
template <bool Inhibited>
__attribute__((optimize("finite-math-only", "no-signed-zeros"))) SOFTSPIKE_DRAW_CLONES float logits_and_max(
    float* __restrict logit, const float* __restrict drive, const float* __restrict bias,
    const float* __restrict inhibition, float gain, float inhibition_gain, float inv_temperature, std::size_t n) {
// A macro, not a lambda: a lambda in a multi-versioned function is compiled once, not inlined, and the loop
// then calls it per element instead of vectorising (27 % of the escape form's training profile).
#define SOFTSPIKE_LOGIT(k)                                                                                   \
    ((Inhibited ? drive[k] * gain + bias[k] - inhibition[k] * inhibition_gain : drive[k] * gain + bias[k]) * \
     inv_temperature)
    constexpr std::size_t lanes = 16;
    float lane_max[lanes];
    for (float& m : lane_max) m = -std::numeric_limits<float>::infinity();
    std::size_t k = 0;
    for (; k + lanes <= n; k += lanes) {
        for (std::size_t j = 0; j < lanes; ++j) {
            const float v = SOFTSPIKE_LOGIT(k + j);
            logit[k + j] = v;
            lane_max[j] = lane_max[j] < v ? v : lane_max[j];
        }
    }
    float max_logit = -std::numeric_limits<float>::infinity();
    for (; k < n; ++k) {
        logit[k] = SOFTSPIKE_LOGIT(k);
        max_logit = std::max(max_logit, logit[k]);
    }
    for (const float m : lane_max) max_logit = std::max(max_logit, m);
    return max_logit;
}
#undef SOFTSPIKE_LOGIT

// weight_k = exp(logit_k - max) in fixed point (`one` = 2^fraction_bits(n); every weight is at most 1), and
// their total. Integer sums are exact in any order, so the total vectorises and the draw's running sum is an
// integer chain of one cycle per neuron instead of four for a double. Weights below 1 / `one` of the largest
// round to zero: a neuron that improbable is never drawn.
SOFTSPIKE_DRAW_CLONES std::uint64_t fixed_point_weights(std::uint64_t* __restrict weight, const float* __restrict logit,
                                                        float max_logit, double one, std::size_t n) {
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const double e = static_cast<double>(fast_exp_nonpositive(logit[k] - max_logit));
        weight[k] = static_cast<std::uint64_t>(static_cast<std::int64_t>(e * one));
        total += weight[k];
    }
    return total;
}

// sum_k exp(logit_k - max) in float, in 16 lanes added in a fixed order: the escape form's total hazard,
// needed at every hazard step, where the draw's fixed point (only needed when the population fires) is not.
SOFTSPIKE_DRAW_CLONES float exp_sum(const float* __restrict logit, float max_logit, std::size_t n) {
    constexpr std::size_t lanes = 16;
    float lane_sum[lanes] = {};
    std::size_t k = 0;
    for (; k + lanes <= n; k += lanes) {
        for (std::size_t j = 0; j < lanes; ++j) lane_sum[j] += fast_exp_nonpositive(logit[k + j] - max_logit);
    }
    float total = 0.0F;
    for (; k < n; ++k) total += fast_exp_nonpositive(logit[k] - max_logit);
    for (const float v : lane_sum) total += v;
    return total;
}

#undef SOFTSPIKE_DRAW_CLONES

}  // namespace

std::uint32_t SoftWtaPopulation::draw_winner(tick_t t, std::span<const float> biases, Rng& rng) {
    // This is the cost of an output spike: one exponential per neuron, in float by a branch-free polynomial
    // (core/fast_exp.hpp), in loops that vectorise (multi-versioned like the row loops). Profile of an
    // evaluation pass before: 65 % here, in a scalar maximum, SSE exponentials and a double prefix sum.
    const auto gain = static_cast<float>(correction(t) / scale(t));
    const auto inv_temperature = static_cast<float>(1.0 / params_.temperature);
    const std::size_t n = drive_.size();
    const float max_logit =
        logits_and_max<false>(logits_.data(), drive_.data(), biases.data(), nullptr, gain, 0.0F, inv_temperature, n);
    fixed_total_ = fixed_point_weights(fixed_.data(), logits_.data(), max_logit, fixed_one_, n);
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
    return inverse_cdf(point);
}

std::uint32_t SoftWtaPopulation::inverse_cdf(double point) const {
    // The winner is the first neuron whose running sum exceeds point * total.
    const auto target = static_cast<std::uint64_t>(point * static_cast<double>(fixed_total_));
    std::uint64_t running = 0;
    const std::size_t n = fixed_.size();
    for (std::size_t k = 0; k < n; ++k) {
        running += fixed_[k];
        if (running > target) return static_cast<std::uint32_t>(k);
    }
    return static_cast<std::uint32_t>(n - 1);
}

float SoftWtaPopulation::escape_logits(tick_t t, std::span<const float> biases, EventCounters& counters) {
    const double s = scale(t);
    const auto gain = static_cast<float>(correction(t) / s);
    const auto inv_temperature = static_cast<float>(1.0 / params_.temperature);
    counters.membrane_updates += drive_.size();
    return logits_and_max<true>(logits_.data(), drive_.data(), biases.data(), inhibition_.data(), gain,
                                static_cast<float>(1.0 / s), inv_temperature, drive_.size());
}

double SoftWtaPopulation::escape_rate(tick_t t, std::span<const float> biases, EventCounters& counters) {
    // rho_k = R0 exp((v_k - theta) / tau), v_k = u_k - I_k; their sum is
    // R0 exp((max v - theta) / tau) * sum_k exp((v_k - max v) / tau).
    const float max_logit = escape_logits(t, biases, counters);
    const float sum = exp_sum(logits_.data(), max_logit, drive_.size());
    // Capped where exp would overflow: such a rate fires at once, which is all the cap changes.
    const double exponent = std::min(static_cast<double>(max_logit) - params_.threshold / params_.temperature, 600.0);
    return params_.output_rate_hz * std::exp(exponent) * static_cast<double>(sum) / ticks_per_second;
}

std::uint32_t SoftWtaPopulation::draw_escaping(tick_t t, std::span<const float> biases, Rng& rng,
                                               EventCounters& counters) {
    const float max_logit = escape_logits(t, biases, counters);
    fixed_total_ = fixed_point_weights(fixed_.data(), logits_.data(), max_logit, fixed_one_, drive_.size());
    return inverse_cdf(rng.uniform());
}

void SoftWtaPopulation::set_inhibition(tick_t t, double level) {
    std::fill(inhibition_.begin(), inhibition_.end(), static_cast<float>(level * scale(t)));
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
    // With escape noise the spiker takes what its inhibitory synapses give the others, so that the inhibition
    // stays common to all and each spike's neuron is drawn from softmax(u / tau) (docs/model.md §4.3).
    const double amount = params_.escape_noise ? params_.inhibition : params_.threshold;
    inhibition_[neuron] += static_cast<float>(amount * scale(t));
    ++counters.membrane_updates;
}

float SoftWtaPopulation::drive(std::uint32_t neuron, tick_t t, std::span<const float> biases) const {
    return static_cast<float>(drive_[neuron] * correction(t) / scale(t)) + biases[neuron];
}

std::uint32_t SoftWtaPopulation::most_driven(tick_t t, std::span<const float> biases) const {
    // The same float expression as drive(), so that the argmax is the one drive() would give.
    const double gain = correction(t) / scale(t);
    std::uint32_t best = 0;
    float best_u = static_cast<float>(drive_[0] * gain) + biases[0];
    for (std::uint32_t k = 1; k < drive_.size(); ++k) {
        const float u = static_cast<float>(drive_[k] * gain) + biases[k];
        if (u > best_u) best = k, best_u = u;
    }
    return best;
}

void SoftWtaPopulation::drives(tick_t t, std::span<const float> biases, std::span<float> out) const {
    const double gain = correction(t) / scale(t);
    for (std::size_t k = 0; k < drive_.size(); ++k) out[k] = static_cast<float>(drive_[k] * gain) + biases[k];
}

std::span<const float> SoftWtaPopulation::pre_estimates(tick_t t) {
    const auto gain = static_cast<float>(correction(t) / scale(t));
    for (std::size_t i = 0; i < trace_.size(); ++i) estimates_[i] = trace_[i] * gain;
    return estimates_;
}

}  // namespace softspike
