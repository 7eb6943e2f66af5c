#pragma once
#include <span>

#include "neurons/encoder_params.hpp"
#include "neurons/input_spike.hpp"

namespace softspike {

// Latency code: each pixel brighter than latency_threshold fires once, at (1 - p_i) * window, so brighter
// pixels fire first. The spike is graded: it carries x_i = p_i / ||p||, which the receiving synapse can
// decode from the spike's time relative to the onset; traces are not warm-up corrected. Deterministic.
EncodedSample encode_latency(std::span<const float> pixels, const EncoderParams& params);

}  // namespace softspike
