#include "network/spiking_conv_learner.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/im2col.hpp"
#include "plasticity/batch_step.hpp"

namespace softspike {

namespace {

EscapeCompetitionParams lif_circuit(const SpikingLearningParams& params) {
    EscapeCompetitionParams out = params.lif;
    out.temperature = params.temperature;
    out.rate_hz = static_cast<double>(params.spikes_per_position) / params.lif.window_s;
    return out;
}

}  // namespace

SpikingConvLearner::SpikingConvLearner(const SpikingConvParams& block, const SpikingLearningParams& params,
                                       std::vector<float> kernels, std::vector<double> mean,
                                       std::vector<double> variance)
    : block_(block),
      params_(params),
      kernels_(std::move(kernels)),
      mean_(std::move(mean)),
      variance_(std::move(variance)),
      competition_(lif_circuit(params)) {
    const std::size_t patch = block_.shape.patch_size();
    if (kernels_.size() != patch * block_.filters)
        throw std::invalid_argument("SpikingConvLearner: kernels are not patch_size x filters");
    if (!mean_.empty() && (mean_.size() != block_.shape.channels || variance_.size() != block_.shape.channels)) {
        throw std::invalid_argument("SpikingConvLearner: statistics are not one per input channel");
    }
    if (!(params_.temperature > 0.0) || params_.spikes_per_position == 0) {
        throw std::invalid_argument("SpikingConvLearner: temperature and spikes_per_position must be positive");
    }
    inverse_sd_.assign(block_.shape.channels, 1.0F);
    // As fold_batch_norm rounds them, so that the learning reads the input the drive was integrated from.
    for (std::size_t c = 0; c < mean_.size(); ++c)
        inverse_sd_[c] = static_cast<float>(1.0 / std::sqrt(variance_[c] + 1e-5));
    hebb_.assign(block_.filters * patch, 0.0F);
    decay_.assign(block_.filters, 0.0);
}

SpikingConvBlock SpikingConvLearner::block() const { return {block_, kernels_, mean_, variance_}; }

void SpikingConvLearner::draw(const SpikingConvBlock& block, std::span<const std::uint32_t> spikes, Rng& rng,
                              ImageDraws& out, SpikingBlockCounters& forward,
                              SpikingPlasticityCounters& plasticity) const {
    const std::size_t filters = block_.filters;
    const std::size_t positions = block_.shape.positions();
    block.integrate(spikes, out.drive, forward);
    normalised_patches(spikes, out);
    out.draws.clear();
    const auto weight = static_cast<float>(1.0 / static_cast<double>(params_.spikes_per_position));
    if (params_.competition == Competition::lif) {
        out.free_energies.resize(positions);
        for (std::size_t p = 0; p < positions; ++p) {
            const float* u = out.drive.data() + p * filters;
            const auto winner = static_cast<std::size_t>(std::max_element(u, u + filters) - u);
            out.fired.clear();
            out.free_energies[p] = competition_.run(std::span<const float>(u, filters), rng, out.competition,
                                                    out.fired, nullptr, forward.events);
            for (const std::uint32_t c : out.fired) {
                const float sign = (params_.anti_hebbian && c != winner) ? -1.0F : 1.0F;
                out.draws.push_back({static_cast<std::uint32_t>(p), c, sign * weight, u[c]});
            }
        }
        plasticity.learning_spikes += out.draws.size();
        return;
    }
    const double inverse_t = 1.0 / params_.temperature;
    std::vector<double> cumulative(filters);
    for (std::size_t p = 0; p < positions; ++p) {
        const float* u = out.drive.data() + p * filters;
        const auto winner = static_cast<std::size_t>(std::max_element(u, u + filters) - u);
        double total = 0.0;
        for (std::size_t k = 0; k < filters; ++k) {
            total += std::exp((static_cast<double>(u[k]) - u[winner]) * inverse_t);
            cumulative[k] = total;
        }
        for (std::size_t j = 0; j < params_.spikes_per_position; ++j) {
            const double r = rng.uniform() * total;
            auto c = static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) -
                                              cumulative.begin());
            c = std::min(c, filters - 1);
            const float sign = (params_.anti_hebbian && c != winner) ? -1.0F : 1.0F;
            out.draws.push_back({static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(c), sign * weight, u[c]});
        }
    }
    plasticity.learning_spikes += out.draws.size();
}

void SpikingConvLearner::normalised_patches(std::span<const std::uint32_t> spikes, ImageDraws& out) const {
    const Conv2dShape& s = block_.shape;
    const std::size_t plane = s.height * s.width;
    const std::size_t positions = s.positions();
    // The values the spikes carried (count x quantum), normalised as the rate form's BatchNorm normalises its
    // input; padding then reads them as the rate form's im2col does.
    out.values.assign(s.channels * plane, 0.0F);
    const auto quantum = static_cast<float>(block_.input_quantum);
    for (const std::uint32_t unit : spikes) out.values[unit] += quantum;
    if (!mean_.empty()) {
        for (std::size_t c = 0; c < s.channels; ++c) {
            const auto shift = static_cast<float>(mean_[c]);
            float* v = out.values.data() + c * plane;
            for (std::size_t i = 0; i < plane; ++i) v[i] = (v[i] - shift) * inverse_sd_[c];
        }
    }
    out.patches.resize(positions * s.patch_size());
    im2col(out.values, s, out.patches);
}

void SpikingConvLearner::free_energies(const SpikingConvBlock& block, std::span<const std::uint32_t> spikes,
                                       ImageDraws& work, std::vector<double>& out) const {
    SpikingBlockCounters unused;
    block.integrate(spikes, work.drive, unused);
    const std::size_t filters = block_.filters;
    for (std::size_t p = 0; p < block_.shape.positions(); ++p) {
        out.push_back(EscapeCompetition::free_energy(std::span<const float>(work.drive.data() + p * filters, filters),
                                                     params_.temperature));
    }
}

void SpikingConvLearner::calibrate(std::vector<double> free_energies) {
    if (free_energies.empty()) throw std::invalid_argument("SpikingConvLearner::calibrate: no free energies");
    const auto middle = free_energies.begin() + static_cast<std::ptrdiff_t>(free_energies.size() / 2);
    std::nth_element(free_energies.begin(), middle, free_energies.end());
    competition_.set_typical_free_energy(*middle + offset_);
}

void SpikingConvLearner::accumulate(const ImageDraws& image, SpikingPlasticityCounters& counters) {
    const std::size_t patch = block_.shape.patch_size();
    if (image.patches.size() != block_.shape.positions() * patch) {
        throw std::invalid_argument("SpikingConvLearner::accumulate: the image's patches do not fit the block");
    }
    for (const Draw& d : image.draws) {
        float* row = hebb_.data() + static_cast<std::size_t>(d.channel) * patch;
        const float* x = image.patches.data() + static_cast<std::size_t>(d.position) * patch;
        for (std::size_t i = 0; i < patch; ++i) row[i] += d.weight * x[i];
        decay_[d.channel] += static_cast<double>(d.weight) * d.drive;
    }
    if (params_.competition == Competition::lif) {
        batch_free_energies_.insert(batch_free_energies_.end(), image.free_energies.begin(), image.free_energies.end());
        batch_spikes_ += image.draws.size();
    }
    counters.update_accumulates += static_cast<std::uint64_t>(image.draws.size()) * patch;
    rows_ += block_.shape.positions();
}

std::vector<float> SpikingConvLearner::pending_update() const {
    const std::size_t patch = block_.shape.patch_size();
    const std::size_t filters = block_.filters;
    std::vector<float> delta(patch * filters);
    for (std::size_t i = 0; i < patch; ++i) {
        for (std::size_t k = 0; k < filters; ++k) {
            delta[i * filters + k] = hebb_[k * patch + i] - static_cast<float>(decay_[k]) * kernels_[i * filters + k];
        }
    }
    return delta;
}

void SpikingConvLearner::apply(SpikingPlasticityCounters& counters) {
    if (rows_ == 0) return;
    const std::size_t patch = block_.shape.patch_size();
    const std::size_t filters = block_.filters;
    const std::vector<float> delta = pending_update();
    // The rate form's eta_k divided by its rows (positions x images: the mean of their updates), or, normalised,
    // eta_k over the update's largest entry (scale-free).
    std::vector<float> step =
        neuron_learning_rates(kernels_, patch, filters, params_.learning_rate, params_.adaptive_power,
                              params_.norm_target, params_.normalise_update ? 1.0 : static_cast<double>(rows_));
    bool moves = true;
    if (params_.normalise_update) {
        const float largest = largest_entry(delta, patch, filters);
        moves = largest > 0.0F;
        if (moves) {
            for (float& v : step) v /= largest;
        }
    }
    if (moves) {
        step_weights(kernels_, delta, step, patch, filters);
        counters.weight_updates += static_cast<std::uint64_t>(patch) * filters;
    }
    counters.batches += 1;
    std::fill(hebb_.begin(), hebb_.end(), 0.0F);
    std::fill(decay_.begin(), decay_.end(), 0.0);
    rows_ = 0;
    if (!batch_free_energies_.empty()) {
        // The count's homeostasis: d log(rate) / d theta = -1 / ((1 + G) T) near the typical free energy; a step
        // at most a factor 4 of the rate, and a batch without spikes counts as half a spike.
        const double positions = static_cast<double>(batch_free_energies_.size());
        const double mean = std::max(static_cast<double>(batch_spikes_), 0.5) / positions;
        const double ratio = std::clamp(mean / static_cast<double>(params_.spikes_per_position), 0.25, 4.0);
        offset_ += (1.0 + params_.lif.loop_gain) * params_.temperature * std::log(ratio);
        batch_spikes_ = 0;
        calibrate(std::move(batch_free_energies_));
        batch_free_energies_.clear();
    }
}

}  // namespace softspike
