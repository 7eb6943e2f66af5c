#pragma once
#include <span>

#include "core/random.hpp"
#include "neurons/encoder_params.hpp"
#include "neurons/input_spike.hpp"

namespace softspike {

// Poisson rate code: pixel i fires at max_rate_hz * p_i during the window. The image is normalised to unit
// L2 norm for the network (docs/model.md §2), so each spike carries 1 / (max_rate * tau * ||p||): the trace then
// estimates x_i = p_i / ||p||, while the number of spikes follows the raw intensities.
//
// The superposition of independent Poisson processes is itself Poisson with the summed rate, and each of
// its events belongs to pixel i with probability p_i / sum(p); that is how the train is drawn, one
// exponential gap and one alias-table draw per spike, already in time order.
EncodedSample encode_poisson(std::span<const float> pixels, const EncoderParams& params, Rng& rng);

}  // namespace softspike
