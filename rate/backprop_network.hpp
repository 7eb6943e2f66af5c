#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/dataset.hpp"
#include "neurons/encoder_params.hpp"
#include "rate/adam.hpp"
#include "rate/pixel_classifier.hpp"

namespace softspike {

// How the backpropagation baseline is trained.
struct BackpropParams {
    std::size_t epochs = 10;
    double learning_rate = 1e-3;  // Adam's step (beta1 0.9, beta2 0.999, epsilon 1e-8), constant
    std::size_t batch = 64;
};

// The backpropagation baseline of SoftHebb's shape: the same input x = normalised_input(p), one hidden layer of
// N units with h = softmax((W^T x + b) / T), and a linear read-out z = A^T (N h) + c, all trained end to end on
// the mean cross-entropy. N h rather than h: the hidden outputs sum to 1, so they are scaled to a mean of 1, as
// the SoftHebb read-out's standardised features are, which lets one Adam rate suit both layers.
class BackpropNetwork final : public PixelClassifier {
public:
    // Weights drawn as PyTorch's nn.Linear draws them, uniform in +-1/sqrt(fan-in), from (seed, baseline).
    BackpropNetwork(std::size_t pixels_per_image, const EncoderParams& encoder, std::size_t hidden, std::size_t classes,
                    double temperature, std::uint64_t seed);

    // One pass of mini-batch Adam over `rows` of `data` in that order; returns the pass's mean loss.
    double train_epoch(const Dataset& data, std::span<const std::size_t> rows, const BackpropParams& params);

    void loss_gradients(std::span<const float> pixels, std::size_t batch, std::span<const std::uint8_t> labels,
                        std::span<float> gradient, std::span<std::uint8_t> predicted,
                        std::span<float> losses) const override;
    void predict(std::span<const float> pixels, std::size_t batch, std::span<std::uint8_t> predicted) const override;
    [[nodiscard]] std::size_t pixels_per_image() const override { return pixels_; }

    [[nodiscard]] std::size_t inputs() const { return inputs_; }
    [[nodiscard]] std::size_t hidden() const { return hidden_; }
    [[nodiscard]] std::size_t classes() const { return classes_; }
    // Every parameter in one vector (W, b, A, c in turn), for checkpoints and tests.
    [[nodiscard]] std::vector<float> parameters() const;
    void set_parameters(std::span<const float> values);

private:
    // Scratch of one forward and backward pass over a batch.
    struct Pass {
        std::vector<float> x;  // batch x inputs
        std::vector<float> h;  // batch x hidden: softmax(u / T)
        std::vector<float> z;  // batch x classes: logits, then their gradient
        std::vector<float> g;  // batch x hidden: gradient at h, then at u
    };
    void forward(std::span<const float> pixels, std::size_t batch, Pass& pass) const;
    // z <- d loss_b / d z_b (p - onehot) times `scale`; returns the summed loss; predictions into `predicted` and
    // each image's loss into `losses`, unless empty.
    double logit_gradients(Pass& pass, std::size_t batch, std::span<const std::uint8_t> labels, float scale,
                           std::span<std::uint8_t> predicted, std::span<float> losses) const;
    // g <- d loss / d u from the logit gradients in z.
    void hidden_gradients(Pass& pass, std::size_t batch) const;

    std::size_t pixels_;
    EncoderParams encoder_;
    std::size_t inputs_;
    std::size_t hidden_;
    std::size_t classes_;
    double temperature_;
    // W (inputs x hidden, source-major as a Projection), b (hidden), A (hidden x classes), c (classes) in turn.
    std::vector<float> theta_;
    std::size_t at_b_;
    std::size_t at_a_;
    std::size_t at_c_;
    Adam adam_{0};
};

}  // namespace softspike
