#pragma once
#include <span>
#include <vector>

#include "core/random.hpp"
#include "neurons/fixed_count_encoder.hpp"
#include "neurons/latency_encoder.hpp"
#include "neurons/poisson_encoder.hpp"

namespace softspike {

// The intensities the input neurons code for: the pixels, or their ON/OFF centred channels.
std::vector<float> input_intensities(std::span<const float> pixels, const EncoderParams& params);

// What the spiking form's presynaptic traces estimate, and so what the rate form is fed: the intensities
// scaled to unit L2 norm, x = p / ‖p‖ (docs/model.md §3 and §7); a blank image stays 0. The latency code sends
// the same x on its graded spikes, though only for the pixels above its threshold.
std::vector<float> normalised_input(std::span<const float> pixels, const EncoderParams& params);

// The chain rule back through normalised_input: given d loss / d x for the image `pixels`, the gradient with
// respect to its pixels, d loss / d p (for attacks on the rate form). Where the ON/OFF split is at a kink
// (a pixel equal to the mean) the gradient is taken as 0; a blank image gets the gradient of x = p.
std::vector<float> normalised_input_gradient(std::span<const float> pixels, const EncoderParams& params,
                                             std::span<const float> grad_x);

// Encodes one image with the configured code; `rng` is the sample's own stream (unused by latency).
inline EncodedSample encode(std::span<const float> pixels, const EncoderParams& params, Rng& rng) {
    const std::vector<float> centred = params.on_off ? input_intensities(pixels, params) : std::vector<float>{};
    const std::span<const float> x = params.on_off ? std::span<const float>(centred) : pixels;
    switch (params.kind) {
        case EncoderKind::poisson:
            return encode_poisson(x, params, rng);
        case EncoderKind::fixed_count:
            return encode_fixed_count(x, params, rng);
        case EncoderKind::latency:
            break;
    }
    return encode_latency(x, params);
}

}  // namespace softspike
