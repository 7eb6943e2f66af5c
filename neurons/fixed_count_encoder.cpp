#include "neurons/fixed_count_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/systematic_sampling.hpp"
#include "core/time.hpp"

namespace softspike {

EncodedSample encode_fixed_count(std::span<const float> pixels, const EncoderParams& params, Rng& rng) {
    EncodedSample sample;
    sample.warmup_correction = true;
    const auto [sum, sum_sq] = intensity_sums(pixels);
    const std::uint32_t k = params.spikes_per_image;
    if (sum <= 0.0 || k == 0) return sample;  // a blank image sends no spike
    const double window_ms = params.presentation_ms;
    const auto amplitude =
        static_cast<float>(sum * window_ms / (static_cast<double>(k) * params.trace_tau_ms * std::sqrt(sum_sq)));
    // Systematic sampling: the points (start + j) / K of [0, 1) fall into the pixels' cumulative shares, so that
    // pixel i fires K p_i / Σp times rounded down or up.
    std::vector<std::uint32_t> sources;
    sources.reserve(k);
    systematic_sample(pixels, sum, k, rng.uniform(), sources);
    // Slot j of K at (j + phase) / K of the window; the spikes take the slots in a random order (Fisher-Yates),
    // so every spike's time is uniform over the window, as a rate code's is, and the trace's warm-up
    // correction applies.
    for (std::uint32_t j = k; j > 1; --j) {
        const auto other = static_cast<std::uint32_t>(rng.below(j));
        std::swap(sources[j - 1], sources[other]);
    }
    const double window = static_cast<double>(ms_to_ticks(window_ms));
    const double phase = rng.uniform();
    sample.spikes.resize(k);
    for (std::uint32_t j = 0; j < k; ++j) {
        const auto offset = static_cast<tick_t>((static_cast<double>(j) + phase) * window / static_cast<double>(k));
        sample.spikes[j] = {std::min(offset, static_cast<tick_t>(window) - 1), sources[j], amplitude};
    }
    // Slots closer than a tick share one: the train's order within a tick is by source.
    std::sort(sample.spikes.begin(), sample.spikes.end(), in_train_order);
    return sample;
}

}  // namespace softspike
