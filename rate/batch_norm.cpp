#include "rate/batch_norm.hpp"

#include <cmath>
#include <stdexcept>

namespace softspike {

BatchNorm::BatchNorm(std::size_t channels, double momentum, double epsilon)
    : momentum_(momentum), epsilon_(epsilon), mean_(channels, 0.0), variance_(channels, 1.0) {}

namespace {

// x's channel c planes of `batch` images, (x - shift) * scale.
void normalise_channel(std::span<float> x, std::size_t batch, std::size_t channels, std::size_t positions,
                       std::size_t c, float shift, float scale) {
    for (std::size_t b = 0; b < batch; ++b) {
        float* plane = x.data() + (b * channels + c) * positions;
        for (std::size_t p = 0; p < positions; ++p) plane[p] = (plane[p] - shift) * scale;
    }
}

std::size_t positions_of(std::span<const float> x, std::size_t batch, std::size_t channels) {
    if (x.size() % (batch * channels) != 0) throw std::invalid_argument("BatchNorm: size is not batch x channels x n");
    return x.size() / (batch * channels);
}

}  // namespace

float BatchNorm::evaluation_scale(std::size_t c) const {
    return static_cast<float>(1.0 / std::sqrt(variance_[c] + epsilon_));
}

void BatchNorm::normalise(std::span<float> x, std::size_t batch) const {
    if (batch == 0) return;
    const std::size_t channels = mean_.size();
    const std::size_t positions = positions_of(x, batch, channels);
    for (std::size_t c = 0; c < channels; ++c) {
        normalise_channel(x, batch, channels, positions, c, static_cast<float>(mean_[c]), evaluation_scale(c));
    }
}

void BatchNorm::apply(std::span<float> x, std::size_t batch, bool learning, std::span<float> scales) {
    const std::size_t channels = mean_.size();
    if (batch == 0) return;
    if (!learning) return normalise(x, batch);
    const std::size_t positions = positions_of(x, batch, channels);
    for (std::size_t c = 0; c < channels; ++c) {
        // Two passes in double: the batch's mean, then its variance about it (no cancellation).
        double sum = 0.0;
        for (std::size_t b = 0; b < batch; ++b) {
            const float* plane = x.data() + (b * channels + c) * positions;
            for (std::size_t p = 0; p < positions; ++p) sum += plane[p];
        }
        const double count = static_cast<double>(batch * positions);
        const double mean = sum / count;
        double squares = 0.0;
        for (std::size_t b = 0; b < batch; ++b) {
            const float* plane = x.data() + (b * channels + c) * positions;
            for (std::size_t p = 0; p < positions; ++p) squares += (plane[p] - mean) * (plane[p] - mean);
        }
        const double variance = squares / count;
        const double unbiased = count > 1.0 ? squares / (count - 1.0) : variance;
        mean_[c] = (1.0 - momentum_) * mean_[c] + momentum_ * mean;
        variance_[c] = (1.0 - momentum_) * variance_[c] + momentum_ * unbiased;
        const auto scale = static_cast<float>(1.0 / std::sqrt(variance + epsilon_));
        if (!scales.empty()) scales[c] = scale;
        normalise_channel(x, batch, channels, positions, c, static_cast<float>(mean), scale);
    }
}

}  // namespace softspike
