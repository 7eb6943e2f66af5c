#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "neurons/encoder_params.hpp"

namespace softspike {

// An image classifier that can say how its loss changes with every pixel: what gradient attacks need.
class PixelClassifier {
public:
    virtual ~PixelClassifier() = default;
    // For `batch` images (rows of pixels_per_image() intensities): the predicted class of each into `predicted`,
    // each image's own cross-entropy -log p(labels[b] | image b) into `losses` (unless empty), and into `gradient`
    // (the shape of `pixels`) the gradient of that cross-entropy with respect to the image's pixels.
    virtual void loss_gradients(std::span<const float> pixels, std::size_t batch, std::span<const std::uint8_t> labels,
                                std::span<float> gradient, std::span<std::uint8_t> predicted,
                                std::span<float> losses) const = 0;
    // The predicted class of each of `batch` images.
    virtual void predict(std::span<const float> pixels, std::size_t batch, std::span<std::uint8_t> predicted) const = 0;
    [[nodiscard]] virtual std::size_t pixels_per_image() const = 0;
};

// The rows of normalised_input (the rate form's input x: intensities at unit norm) of `batch` images.
void normalised_rows(std::span<const float> pixels, std::size_t batch, std::size_t pixels_per_image,
                     const EncoderParams& encoder, std::vector<float>& x);
// normalised_input_gradient for each of `batch` images: d loss / d x rows to d loss / d pixel rows.
void pixel_gradients(std::span<const float> pixels, std::size_t batch, std::size_t pixels_per_image,
                     const EncoderParams& encoder, std::span<const float> grad_x, std::span<float> gradient);
// The gradient back through y = softmax(u / temperature), row by row, in place: g <- y * (g - <g, y>) / temperature.
void softmax_backward(std::span<const float> y, std::size_t rows, double temperature, std::span<float> g);

// For each of `rows` rows of logits z (`classes` wide): its cross-entropy -log softmax(z)[labels[r]] (into
// losses[r] unless empty; summed over the rows and returned) and its argmax (into predicted[r] unless empty),
// then z replaced by its gradient, each entry softmax(z)_k - [k = label] passed through `to_float` (the caller's
// scaling, e.g. by 1 / batch for a mean). The backpropagation baselines' last step.
template <typename ToFloat>
double cross_entropy_gradients(std::span<float> logits, std::size_t rows, std::size_t classes,
                               std::span<const std::uint8_t> labels, std::span<std::uint8_t> predicted,
                               std::span<float> losses, const ToFloat& to_float) {
    double loss = 0.0;
    for (std::size_t r = 0; r < rows; ++r) {
        float* z = logits.data() + r * classes;
        const auto best = static_cast<std::size_t>(std::max_element(z, z + classes) - z);
        if (!predicted.empty()) predicted[r] = static_cast<std::uint8_t>(best);
        const double top = z[best];
        double total = 0.0;
        for (std::size_t k = 0; k < classes; ++k) total += std::exp(static_cast<double>(z[k]) - top);
        const double own = std::log(total) + top - z[labels[r]];
        if (!losses.empty()) losses[r] = static_cast<float>(own);
        loss += own;
        for (std::size_t k = 0; k < classes; ++k) {
            const double p = std::exp(static_cast<double>(z[k]) - top) / total;
            z[k] = to_float(p - (k == labels[r] ? 1.0 : 0.0));
        }
    }
    return loss;
}

}  // namespace softspike
