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
    const std::vector<float> centred = params.on_off ? input_intensities(pixels, params) : std::vector<float>{};
    const std::span<const float> x = params.on_off ? std::span<const float>(centred) : pixels;
    return params.kind == EncoderKind::poisson ? encode_poisson(x, params, rng) : encode_latency(x, params);
}

}  // namespace softspike
