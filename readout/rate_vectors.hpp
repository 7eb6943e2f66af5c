#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace softspike {

// Output spike counts of a population, one row per sample: the rate vectors the read-outs learn from
// (rate = count / window; the window is the same for every sample, so counts are kept as they are).
struct RateVectors {
    std::size_t samples = 0;
    std::size_t neurons = 0;
    std::vector<float> counts;  // samples x neurons

    RateVectors() = default;
    RateVectors(std::size_t samples_, std::size_t neurons_)
        : samples(samples_), neurons(neurons_), counts(samples_ * neurons_, 0.0F) {}

    [[nodiscard]] std::span<float> row(std::size_t s) { return {counts.data() + s * neurons, neurons}; }
    [[nodiscard]] std::span<const float> row(std::size_t s) const { return {counts.data() + s * neurons, neurons}; }
    void set_row(std::size_t s, std::span<const std::uint32_t> spike_counts);
};

// Neurons whose count is zero in every row.
std::size_t count_silent_neurons(const RateVectors& rates);

// Fraction of predictions equal to the labels.
double accuracy(std::span<const std::uint8_t> predictions, std::span<const std::uint8_t> labels);

}  // namespace softspike
