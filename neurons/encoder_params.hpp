#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

namespace softspike {

// How pixel intensities become input spikes (docs/model.md §2).
enum class EncoderKind : std::uint8_t { poisson, latency, fixed_count };

// Parameters of the input encoders; filled and validated by run/config.
struct EncoderParams {
    EncoderKind kind = EncoderKind::poisson;
    double presentation_ms = 40.0;         // window during which a sample is shown
    double max_rate_hz = 960.0;            // Poisson: rate of a pixel of intensity 1
    double latency_threshold = 0.1;        // latency: pixels at or below this intensity stay silent
    double trace_tau_ms = 20.0;            // time constant of presynaptic traces and of the membrane PSP
    std::uint32_t spikes_per_image = 784;  // fixed-count code: the spikes of one image (a blank one sends none)
    // Centring (SoftHebb learns best on centred inputs, docs/model.md §5.1): rates cannot be negative, so a centred
    // image p - mean(p) is sent on two channels per pixel, ON = max(0, .) and OFF = max(0, -.), as retinal ON/OFF cells
    // do. Doubles the number of input neurons, not the number of spikes.
    bool on_off = false;
};

// The sum and the sum of squares of an image's intensities (in double): a rate code's total rate and the norm
// its spikes' amplitude divides by.
struct IntensitySums {
    double sum = 0.0;
    double sum_sq = 0.0;
};
inline IntensitySums intensity_sums(std::span<const float> pixels) {
    IntensitySums s;
    for (const float p : pixels) {
        s.sum += p;
        s.sum_sq += static_cast<double>(p) * p;
    }
    return s;
}

// Input neurons per image of `pixels` pixels.
inline std::size_t encoded_inputs(std::size_t pixels, const EncoderParams& params) {
    return params.on_off ? 2 * pixels : pixels;
}

}  // namespace softspike
