#include "rate/batch_norm.hpp"

#include <cmath>
#include <stdexcept>

namespace softspike {

BatchNorm::BatchNorm(std::size_t channels, double momentum, double epsilon)
    : momentum_(momentum), epsilon_(epsilon), mean_(channels, 0.0), variance_(channels, 1.0) {}

void BatchNorm::apply(std::span<float> x, std::size_t batch, bool learning) {
    const std::size_t channels = mean_.size();
    if (batch == 0) return;
    if (x.size() % (batch * channels) != 0) throw std::invalid_argument("BatchNorm: size is not batch x channels x n");
    const std::size_t positions = x.size() / (batch * channels);
    for (std::size_t c = 0; c < channels; ++c) {
        double mean = mean_[c];
        double variance = variance_[c];
        if (learning) {
            // Two passes in double: the batch's mean, then its variance about it (no cancellation).
            double sum = 0.0;
            for (std::size_t b = 0; b < batch; ++b) {
                const float* plane = x.data() + (b * channels + c) * positions;
                for (std::size_t p = 0; p < positions; ++p) sum += plane[p];
            }
            const double count = static_cast<double>(batch * positions);
            mean = sum / count;
            double squares = 0.0;
            for (std::size_t b = 0; b < batch; ++b) {
                const float* plane = x.data() + (b * channels + c) * positions;
                for (std::size_t p = 0; p < positions; ++p) squares += (plane[p] - mean) * (plane[p] - mean);
            }
            variance = squares / count;
            const double unbiased = count > 1.0 ? squares / (count - 1.0) : variance;
            mean_[c] = (1.0 - momentum_) * mean_[c] + momentum_ * mean;
            variance_[c] = (1.0 - momentum_) * variance_[c] + momentum_ * unbiased;
        }
        const auto inv = static_cast<float>(1.0 / std::sqrt(variance + epsilon_));
        const auto shift = static_cast<float>(mean);
        for (std::size_t b = 0; b < batch; ++b) {
            float* plane = x.data() + (b * channels + c) * positions;
            for (std::size_t p = 0; p < positions; ++p) plane[p] = (plane[p] - shift) * inv;
        }
    }
}

}  // namespace softspike
