#include "neurons/fixed_count_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

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
    // Systematic sampling: the points (start + j) / K of [0, 1) fall into the pixels' cumulative shares. A point
    // lands in pixel i's share with probability K p_i / Σp in all, and the points are 1 / K apart, so the count
    // is that number rounded down or up.
    std::vector<std::uint32_t> sources;
    sources.reserve(k);
    const double start = rng.uniform();
    double upper = 0.0;  // the cumulative share up to and including pixel i, in units of 1 / K
    std::uint32_t next = 0;
    const double scale = static_cast<double>(k) / sum;
    for (std::size_t i = 0; i < pixels.size() && next < k; ++i) {
        upper += static_cast<double>(pixels[i]) * scale;
        while (next < k && start + static_cast<double>(next) < upper) {
            sources.push_back(static_cast<std::uint32_t>(i));
            ++next;
        }
    }
    // Rounding can leave the last point just past the last share: it belongs to the last lit pixel.
    if (next < k) {
        std::size_t last = pixels.size();
        while (last > 0 && pixels[last - 1] <= 0.0F) --last;
        sources.resize(k, static_cast<std::uint32_t>(last - 1));
    }
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
