#pragma once
#include <span>

#include "core/random.hpp"
#include "neurons/encoder_params.hpp"
#include "neurons/input_spike.hpp"

namespace softspike {

// Fixed-count rate code: exactly `spikes_per_image` spikes per image (none for a blank one), shared among the
// pixels in proportion to their intensities by systematic sampling, so that pixel i fires floor(K p_i / Σp)
// or one more times and K p_i / Σp in expectation (docs/model.md §2). The spikes take evenly spaced slots of
// the window in a random order. Each carries Σp · T / (K · τ · ‖p‖), so that the warm-up-corrected trace
// estimates x_i = p_i / ‖p‖ as the Poisson code's does, with a count variance below 1/4 instead of the
// Poisson's K p_i / Σp: the budget a chip is given, spent with the least noise.
EncodedSample encode_fixed_count(std::span<const float> pixels, const EncoderParams& params, Rng& rng);

}  // namespace softspike
