#pragma once
#include <cstdint>

namespace softspike {

// How pixel intensities become input spikes (model.md §2, "Input encoding").
enum class EncoderKind : std::uint8_t { poisson, latency };

// Parameters of the input encoders; filled and validated by io/config.
struct EncoderParams {
    EncoderKind kind = EncoderKind::poisson;
    double presentation_ms = 40.0;  // window during which a sample is shown
    double max_rate_hz = 60.0;      // Poisson: rate of a pixel of intensity 1
    double latency_threshold = 0.1; // latency: pixels at or below this intensity stay silent
    double trace_tau_ms = 20.0;     // time constant of presynaptic traces and of the membrane PSP
};

}  // namespace softspike
