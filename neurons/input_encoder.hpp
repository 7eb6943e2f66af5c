#pragma once
#include <span>

#include "core/random.hpp"
#include "neurons/latency_encoder.hpp"
#include "neurons/poisson_encoder.hpp"

namespace softspike {

// Encodes one image with the configured code; `rng` is the sample's own stream (unused by latency).
inline EncodedSample encode(std::span<const float> pixels, const EncoderParams& params, Rng& rng) {
    return params.kind == EncoderKind::poisson ? encode_poisson(pixels, params, rng) : encode_latency(pixels, params);
}

}  // namespace softspike
