#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "rate/deep_rate_network.hpp"
#include "rate/pixel_classifier.hpp"
#include "readout/linear_readout.hpp"

namespace softspike {

// A frozen deep network in its rate form with its fitted linear read-out, as one differentiable classifier:
// each block's evaluation BatchNorm, convolution, triangle and pooling, then the read-out on the last block's
// flattened output. The same computation as deep_features followed by LinearReadout::predict; the gradient
// goes back through every block to the pixels (docs/model.md §14).
class DeepSoftHebbClassifier final : public PixelClassifier {
public:
    DeepSoftHebbClassifier(DeepRateNetwork network, LinearReadout readout);

    void loss_gradients(std::span<const float> pixels, std::size_t batch, std::span<const std::uint8_t> labels,
                        std::span<float> gradient, std::span<std::uint8_t> predicted,
                        std::span<float> losses) const override;
    void predict(std::span<const float> pixels, std::size_t batch, std::span<std::uint8_t> predicted) const override;
    [[nodiscard]] std::size_t pixels_per_image() const override { return network_.block(0).input_shape().size(); }

private:
    // What one block computed for one image, kept for the backward pass.
    struct BlockTrace {
        std::vector<float> patches;    // positions x patch_size, of the normalised input
        std::vector<float> drive;      // positions x filters, before the triangle
        std::vector<float> activated;  // positions x filters, after it (what pooling read)
        std::vector<float> output;     // channels x height x width, after pooling
    };
    // The blocks' traces of one image; the last output is its feature vector.
    void forward(std::span<const float> image, std::vector<BlockTrace>& trace) const;
    // d loss / d (last output) in `grad` to d loss / d pixels in `pixel_gradient`.
    void backward(const std::vector<BlockTrace>& trace, std::vector<float>& grad,
                  std::span<float> pixel_gradient) const;

    DeepRateNetwork network_;
    LinearReadout readout_;
};

}  // namespace softspike
