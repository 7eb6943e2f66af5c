#include "rate/pixel_classifier.hpp"

#include <algorithm>

#include "core/dense_kernels.hpp"
#include "neurons/input_encoder.hpp"

namespace softspike {

void normalised_rows(std::span<const float> pixels, std::size_t batch, std::size_t pixels_per_image,
                     const EncoderParams& encoder, std::vector<float>& x) {
    const std::size_t inputs = encoded_inputs(pixels_per_image, encoder);
    x.resize(batch * inputs);
    for_each_row(batch, [&](std::size_t b) {
        const std::vector<float> row =
            normalised_input(pixels.subspan(b * pixels_per_image, pixels_per_image), encoder);
        std::copy(row.begin(), row.end(), x.begin() + static_cast<std::ptrdiff_t>(b * inputs));
    });
}

void pixel_gradients(std::span<const float> pixels, std::size_t batch, std::size_t pixels_per_image,
                     const EncoderParams& encoder, std::span<const float> grad_x, std::span<float> gradient) {
    const std::size_t inputs = encoded_inputs(pixels_per_image, encoder);
    for_each_row(batch, [&](std::size_t b) {
        const std::vector<float> row = normalised_input_gradient(pixels.subspan(b * pixels_per_image, pixels_per_image),
                                                                 encoder, grad_x.subspan(b * inputs, inputs));
        std::copy(row.begin(), row.end(), gradient.begin() + static_cast<std::ptrdiff_t>(b * pixels_per_image));
    });
}

void softmax_backward(std::span<const float> y, std::size_t rows, double temperature, std::span<float> g) {
    if (rows == 0) return;
    const std::size_t n = y.size() / rows;
    const double inv_t = 1.0 / temperature;
    for_each_row(rows, [&](std::size_t r) {
        const float* yr = y.data() + r * n;
        float* gr = g.data() + r * n;
        double dot = 0.0;
        for (std::size_t k = 0; k < n; ++k) dot += static_cast<double>(gr[k]) * yr[k];
        for (std::size_t k = 0; k < n; ++k) gr[k] = static_cast<float>(yr[k] * (gr[k] - dot) * inv_t);
    });
}

}  // namespace softspike
