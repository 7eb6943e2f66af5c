#include "neurons/latency_encoder.hpp"

#include <algorithm>
#include <cmath>

#include "core/time.hpp"

namespace softspike {

EncodedSample encode_latency(std::span<const float> pixels, const EncoderParams& params) {
    EncodedSample sample;
    sample.warmup_correction = false;
    sample.graded = true;
    double sum_sq = 0.0;
    for (const float p : pixels) sum_sq += static_cast<double>(p) * p;
    if (sum_sq <= 0.0) return sample;
    const double norm = std::sqrt(sum_sq);
    const double window = static_cast<double>(ms_to_ticks(params.presentation_ms));
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        const double p = pixels[i];
        if (p <= params.latency_threshold) continue;
        // A pixel of intensity 1 fires at the onset; one just above the threshold near the end.
        auto offset = static_cast<tick_t>((1.0 - p) * window);
        offset = std::min<tick_t>(offset, static_cast<tick_t>(window) - 1);
        sample.spikes.push_back({offset, static_cast<std::uint32_t>(i), static_cast<float>(p / norm)});
    }
    std::sort(sample.spikes.begin(), sample.spikes.end(), in_train_order);
    return sample;
}

}  // namespace softspike
