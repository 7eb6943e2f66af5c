#include "rate/deep_classifier.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "core/dense_kernels.hpp"
#include "rate/deep_gradient.hpp"

namespace softspike {

DeepClassifier::DeepClassifier(DeepRateNetwork network, LinearReadout readout)
    : network_(std::move(network)), readout_(std::move(readout)) {
    if (readout_.features() != network_.feature_count()) {
        throw std::invalid_argument("DeepClassifier: a read-out of " + std::to_string(readout_.features()) +
                                    " features on a network of " + std::to_string(network_.feature_count()));
    }
}

void DeepClassifier::predict(std::span<const float> pixels, std::size_t batch,
                             std::span<std::uint8_t> predicted) const {
    const std::size_t d = pixels_per_image();
    for_each_row(batch, [&](std::size_t b) {
        std::vector<BlockTrace> trace;
        deep_forward(network_, pixels.subspan(b * d, d), trace);
        predicted[b] = readout_.predict(trace.back().output);
    });
}

void DeepClassifier::loss_gradients(std::span<const float> pixels, std::size_t batch,
                                    std::span<const std::uint8_t> labels, std::span<float> gradient,
                                    std::span<std::uint8_t> predicted, std::span<float> losses) const {
    const std::size_t d = pixels_per_image();
    // One image per task: its traces are a few MB, and each image's gradient is computed in one fixed order.
    for_each_row(batch, [&](std::size_t b) {
        std::vector<BlockTrace> trace;
        deep_forward(network_, pixels.subspan(b * d, d), trace);
        std::vector<float> grad(network_.feature_count());
        double loss = 0.0;
        predicted[b] = readout_.loss_gradient(trace.back().output, labels[b], grad, &loss);
        if (!losses.empty()) losses[b] = static_cast<float>(loss);
        deep_backward(network_, trace, grad, gradient.subspan(b * d, d));
    });
}

}  // namespace softspike
