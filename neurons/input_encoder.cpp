#include "neurons/input_encoder.hpp"

#include <cmath>
#include <numeric>

namespace softspike {

std::vector<float> input_intensities(std::span<const float> pixels, const EncoderParams& params) {
    if (!params.on_off) return {pixels.begin(), pixels.end()};
    const std::size_t d = pixels.size();
    const float mean = d > 0 ? std::accumulate(pixels.begin(), pixels.end(), 0.0F) / static_cast<float>(d) : 0.0F;
    std::vector<float> out(2 * d, 0.0F);
    for (std::size_t i = 0; i < d; ++i) {
        const float c = pixels[i] - mean;
        out[i] = c > 0.0F ? c : 0.0F;       // ON channel: inputs 0 .. D-1
        out[d + i] = c < 0.0F ? -c : 0.0F;  // OFF channel: inputs D .. 2D-1
    }
    return out;
}

std::vector<float> normalised_input(std::span<const float> pixels, const EncoderParams& params) {
    std::vector<float> x = input_intensities(pixels, params);
    // The norm in double, as the rate codes compute it for their spike amplitude.
    const double sum_sq = intensity_sums(x).sum_sq;
    if (sum_sq <= 0.0) return x;
    const double inv = 1.0 / std::sqrt(sum_sq);
    for (float& v : x) v = static_cast<float>(v * inv);
    return x;
}

}  // namespace softspike
