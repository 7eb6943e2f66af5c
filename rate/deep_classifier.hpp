#pragma once
#include <cstdint>
#include <span>

#include "rate/deep_rate_network.hpp"
#include "rate/pixel_classifier.hpp"
#include "readout/linear_readout.hpp"

namespace softspike {

// A frozen deep network in its rate form with a linear read-out on its features, as one differentiable
// classifier: SoftHebb's blocks with their fitted read-out, or the backpropagation baseline's blocks with its
// last layer. The same computation as deep_features followed by LinearReadout::predict; the gradient goes
// back through every block to the pixels (rate/deep_gradient).
class DeepClassifier final : public PixelClassifier {
public:
    DeepClassifier(DeepRateNetwork network, LinearReadout readout);

    void loss_gradients(std::span<const float> pixels, std::size_t batch, std::span<const std::uint8_t> labels,
                        std::span<float> gradient, std::span<std::uint8_t> predicted,
                        std::span<float> losses) const override;
    void predict(std::span<const float> pixels, std::size_t batch, std::span<std::uint8_t> predicted) const override;
    [[nodiscard]] std::size_t pixels_per_image() const override { return network_.block(0).input_shape().size(); }

private:
    DeepRateNetwork network_;
    LinearReadout readout_;
};

}  // namespace softspike
