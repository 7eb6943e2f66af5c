#include "chip/synapse_memory.hpp"

#include <algorithm>
#include <cmath>

namespace softspike {

SynapseMemory::SynapseMemory(const ChipParams& chip, std::size_t inputs, std::size_t neurons, std::uint64_t seed,
                             std::uint64_t stream)
    : neurons_(static_cast<std::uint32_t>(neurons)),
      range_(static_cast<float>(chip.weight_range)),
      stochastic_(chip.stochastic_rounding),
      live_(static_cast<std::uint64_t>(inputs) * neurons) {
    if (chip.weight_bits < 32) {
        step_ = static_cast<float>(chip.weight_range / static_cast<double>((1U << (chip.weight_bits - 1U)) - 1U));
    }
    if (chip.dead_synapses > 0.0) {
        dead_.assign(inputs * neurons, 0);
        dead_in_row_.assign(inputs, 0);
        dead_in_column_.assign(neurons, 0);
        Rng rng = Rng::stream(seed, StreamPurpose::dead_synapses, stream);
        for (std::size_t i = 0; i < inputs; ++i) {
            for (std::size_t k = 0; k < neurons; ++k) {
                if (rng.uniform() < chip.dead_synapses) {
                    dead_[i * neurons + k] = 1;
                    ++dead_in_row_[i];
                    ++dead_in_column_[k];
                    --live_;
                }
            }
        }
    }
}

float SynapseMemory::round(float w, Rng& rng) const {
    if (step_ <= 0.0F) return w;
    const float clamped = std::clamp(w, -range_, range_);
    const float scaled = clamped / step_;
    const float low = std::floor(scaled);
    // Stochastic rounding: up with probability equal to the fraction, so the expectation is the value itself
    // and updates far smaller than a step still move the weight on average.
    const float up = stochastic_ ? static_cast<float>(rng.uniform() < static_cast<double>(scaled - low))
                                 : static_cast<float>(scaled - low >= 0.5F);
    return (low + up) * step_;
}

void SynapseMemory::program(Projection& weights, Rng& rng) const {
    std::vector<float>& w = weights.weights();
    if (step_ > 0.0F) {
        for (float& v : w) v = round(v, rng);
    }
    zero_dead(w);
}

void SynapseMemory::zero_dead(std::span<float> weights) const {
    for (std::size_t j = 0; j < dead_.size(); ++j) {
        if (dead_[j] != 0) weights[j] = 0.0F;
    }
}

void SynapseMemory::after_update(Projection& weights, std::uint32_t k, Rng& rng, EventCounters& counters) const {
    const std::size_t n = weights.targets();
    const std::size_t d = weights.sources();
    float* w = weights.weights().data() + k;
    if (step_ > 0.0F) {
        for (std::size_t i = 0; i < d; ++i) w[i * n] = round(w[i * n], rng);
    }
    if (!dead_.empty()) {
        const std::uint8_t* dead = dead_.data() + k;
        for (std::size_t i = 0; i < d; ++i) {
            if (dead[i * n] != 0) w[i * n] = 0.0F;
        }
        counters.plasticity_updates -= dead_in_column_[k];
    }
}

void add_mismatch(std::vector<float>& weights, double fraction, Rng& rng) {
    double sum_sq = 0.0;
    for (const float v : weights) sum_sq += static_cast<double>(v) * v;
    const double sigma = fraction * std::sqrt(sum_sq / static_cast<double>(weights.size()));
    for (float& v : weights) v += static_cast<float>(sigma * rng.normal());
}

}  // namespace softspike
