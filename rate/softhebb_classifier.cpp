#include "rate/softhebb_classifier.hpp"

#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"
#include "rate/rate_network.hpp"

namespace softspike {

SoftHebbClassifier::SoftHebbClassifier(NetworkModel layer, const EncoderParams& encoder, RateFeatures features,
                                       double feature_temperature, LinearReadout readout, std::size_t pixels_per_image)
    : layer_(std::move(layer), RateLayerParams{}),
      encoder_(encoder),
      features_(features),
      temperature_(feature_temperature),
      readout_(std::move(readout)),
      pixels_(pixels_per_image) {
    if (layer_.model().weights.sources() != encoded_inputs(pixels_, encoder_)) {
        throw std::invalid_argument("SoftHebbClassifier: " + std::to_string(layer_.model().weights.sources()) +
                                    " inputs for images of " + std::to_string(pixels_) + " pixels");
    }
    if (readout_.features() != layer_.model().weights.targets()) {
        throw std::invalid_argument("SoftHebbClassifier: a read-out of " + std::to_string(readout_.features()) +
                                    " features on " + std::to_string(layer_.model().weights.targets()) + " neurons");
    }
}

void SoftHebbClassifier::features(std::span<const float> pixels, std::size_t batch, std::vector<float>& x,
                                  std::vector<float>& y) const {
    normalised_rows(pixels, batch, pixels_, encoder_, x);
    RateCounters unused;
    layer_.forward(x, batch, y, unused);
    activate(y, batch, features_, temperature_);
}

void SoftHebbClassifier::predict(std::span<const float> pixels, std::size_t batch,
                                 std::span<std::uint8_t> predicted) const {
    std::vector<float> x;
    std::vector<float> y;
    features(pixels, batch, x, y);
    const std::size_t n = layer_.model().weights.targets();
    for_each_row(batch,
                 [&](std::size_t b) { predicted[b] = readout_.predict(std::span<const float>(y).subspan(b * n, n)); });
}

void SoftHebbClassifier::loss_gradients(std::span<const float> pixels, std::size_t batch,
                                        std::span<const std::uint8_t> labels, std::span<float> gradient,
                                        std::span<std::uint8_t> predicted, std::span<float> losses) const {
    std::vector<float> x;
    std::vector<float> y;
    features(pixels, batch, x, y);
    const std::size_t n = layer_.model().weights.targets();
    const std::size_t d = layer_.model().weights.sources();
    std::vector<float> g(batch * n);
    for_each_row(batch, [&](std::size_t b) {
        double loss = 0.0;
        predicted[b] = readout_.loss_gradient(std::span<const float>(y).subspan(b * n, n), labels[b],
                                              std::span<float>(g).subspan(b * n, n), &loss);
        if (!losses.empty()) losses[b] = static_cast<float>(loss);
    });
    if (features_ == RateFeatures::softmax) {
        softmax_backward(y, batch, temperature_, g);
    } else {
        // y_k = max(0, u_k - mean_l u_l): d y_k / d u_j = [y_k > 0] ([k = j] - 1/n).
        for_each_row(batch, [&](std::size_t b) {
            float* gb = g.data() + b * n;
            const float* yb = y.data() + b * n;
            double total = 0.0;
            for (std::size_t k = 0; k < n; ++k) {
                gb[k] = yb[k] > 0.0F ? gb[k] : 0.0F;
                total += gb[k];
            }
            const auto shift = static_cast<float>(total / static_cast<double>(n));
            for (std::size_t k = 0; k < n; ++k) gb[k] -= shift;
        });
    }
    std::vector<float> grad_x(batch * d);
    gemm_nt(g, layer_.model().weights.weights(), grad_x, batch, n, d);
    pixel_gradients(pixels, batch, pixels_, encoder_, grad_x, gradient);
}

}  // namespace softspike
