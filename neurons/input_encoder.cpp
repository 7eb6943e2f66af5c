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

std::vector<float> normalised_input_gradient(std::span<const float> pixels, const EncoderParams& params,
                                             std::span<const float> grad_x) {
    const std::vector<float> x = input_intensities(pixels, params);
    const double sum_sq = intensity_sums(x).sum_sq;
    // x_hat = x / |x|: d x_hat / d x = (I - x_hat x_hat^T) / |x|.
    std::vector<double> grad_raw(x.size());
    if (sum_sq <= 0.0) {
        for (std::size_t i = 0; i < x.size(); ++i) grad_raw[i] = grad_x[i];
    } else {
        const double norm = std::sqrt(sum_sq);
        double along = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) along += grad_x[i] * (x[i] / norm);
        for (std::size_t i = 0; i < x.size(); ++i) grad_raw[i] = (grad_x[i] - along * (x[i] / norm)) / norm;
    }
    const std::size_t d = pixels.size();
    std::vector<float> out(d);
    if (!params.on_off) {
        for (std::size_t i = 0; i < d; ++i) out[i] = static_cast<float>(grad_raw[i]);
        return out;
    }
    // ON = max(0, p - m), OFF = max(0, m - p), m the image's mean: d/dp_i of the centred value c_j is
    // [i = j] - 1/d.
    const float mean = std::accumulate(pixels.begin(), pixels.end(), 0.0F) / static_cast<float>(d);
    std::vector<double> grad_c(d, 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < d; ++i) {
        const float c = pixels[i] - mean;
        grad_c[i] = c > 0.0F ? grad_raw[i] : c < 0.0F ? -grad_raw[d + i] : 0.0;
        total += grad_c[i];
    }
    const double shift = total / static_cast<double>(d);
    for (std::size_t i = 0; i < d; ++i) out[i] = static_cast<float>(grad_c[i] - shift);
    return out;
}

}  // namespace softspike
