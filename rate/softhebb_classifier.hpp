#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "network/network_model.hpp"
#include "neurons/encoder_params.hpp"
#include "rate/pixel_classifier.hpp"
#include "rate/rate_layer.hpp"
#include "rate/rate_params.hpp"
#include "readout/linear_readout.hpp"

namespace softspike {

// The single-layer network in its rate form with its fitted linear read-out, as one differentiable classifier:
// x = normalised_input(p), u = W^T x + b, the features (softmax(u / T) or the triangle), then the read-out.
// The same computation as run_rate_frozen followed by LinearReadout::predict.
class SoftHebbClassifier final : public PixelClassifier {
public:
    SoftHebbClassifier(NetworkModel layer, const EncoderParams& encoder, RateFeatures features,
                       double feature_temperature, LinearReadout readout, std::size_t pixels_per_image);

    void loss_gradients(std::span<const float> pixels, std::size_t batch, std::span<const std::uint8_t> labels,
                        std::span<float> gradient, std::span<std::uint8_t> predicted,
                        std::span<float> losses) const override;
    void predict(std::span<const float> pixels, std::size_t batch, std::span<std::uint8_t> predicted) const override;
    [[nodiscard]] std::size_t pixels_per_image() const override { return pixels_; }

private:
    // The features of `batch` images into y, their inputs into x.
    void features(std::span<const float> pixels, std::size_t batch, std::vector<float>& x, std::vector<float>& y) const;

    RateLayer layer_;
    EncoderParams encoder_;
    RateFeatures features_;
    double temperature_;
    LinearReadout readout_;
    std::size_t pixels_;
};

}  // namespace softspike
