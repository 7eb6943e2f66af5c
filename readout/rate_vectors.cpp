#include "readout/rate_vectors.hpp"

#include <stdexcept>

namespace softspike {

void RateVectors::set_row(std::size_t s, std::span<const std::uint32_t> spike_counts) {
    auto r = row(s);
    for (std::size_t k = 0; k < neurons; ++k) r[k] = static_cast<float>(spike_counts[k]);
}

std::size_t count_silent_neurons(const RateVectors& rates) {
    std::vector<bool> fired(rates.neurons, false);
    for (std::size_t s = 0; s < rates.samples; ++s) {
        const auto r = rates.row(s);
        for (std::size_t k = 0; k < rates.neurons; ++k) {
            if (r[k] > 0.0F) fired[k] = true;
        }
    }
    std::size_t silent = 0;
    for (const bool f : fired) silent += f ? 0 : 1;
    return silent;
}

double accuracy(std::span<const std::uint8_t> predictions, std::span<const std::uint8_t> labels) {
    if (predictions.size() != labels.size()) throw std::invalid_argument("accuracy: size mismatch");
    if (labels.empty()) return 0.0;
    std::size_t correct = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) correct += predictions[i] == labels[i] ? 1 : 0;
    return static_cast<double>(correct) / static_cast<double>(labels.size());
}

}  // namespace softspike
