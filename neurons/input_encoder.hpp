#pragma once
#include <span>
#include <vector>

#include "core/random.hpp"
#include "neurons/latency_encoder.hpp"
#include "neurons/poisson_encoder.hpp"

namespace softspike {

// The intensities the input neurons code for: the pixels, or their ON/OFF centred channels.
std::vector<float> input_intensities(std::span<const float> pixels, const EncoderParams& params);

// Encodes one image with the configured code; `rng` is the sample's own stream (unused by latency).
inline EncodedSample encode(std::span<const float> pixels, const EncoderParams& params, Rng& rng) {
    if (params.on_off) {
        const std::vector<float> intensities = input_intensities(pixels, params);
        return params.kind == EncoderKind::poisson ? encode_poisson(intensities, params, rng)
                                                   : encode_latency(intensities, params);
    }
    return params.kind == EncoderKind::poisson ? encode_poisson(pixels, params, rng) : encode_latency(pixels, params);
}

}  // namespace softspike
