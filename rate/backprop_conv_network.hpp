#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/dataset.hpp"
#include "rate/adam.hpp"
#include "rate/backprop_network.hpp"
#include "rate/deep_classifier.hpp"
#include "rate/deep_rate_network.hpp"
#include "rate/pixel_classifier.hpp"

namespace softspike {

// The backpropagation baseline of a deep network's shape: the same blocks (BatchNorm without affine parameters,
// on batch statistics while training and running ones after; convolution; the triangle with the block's power;
// pooling) and a linear last layer on the flattened features, all trained end to end on the mean cross-entropy
// with Adam. Its kernels start as SoftHebb's initial kernels of the same seed, scaled to radius 1 (about
// PyTorch's default size); its last layer is drawn as nn.Linear's, from (seed, baseline). docs/model.md §14.
class BackpropConvNetwork final : public PixelClassifier {
public:
    // `blocks` must fit `input` (DeepRateNetwork::problem) and prune nothing.
    BackpropConvNetwork(TensorShape input, std::vector<ConvBlockParams> blocks, std::size_t classes,
                        std::uint64_t seed);

    // One pass of mini-batch Adam over `rows` of `data` in that order; returns the pass's mean loss.
    double train_epoch(const Dataset& data, std::span<const std::size_t> rows, const BackpropParams& params);

    // Frozen, as it stands after the last pass: BatchNorm on the running statistics.
    void loss_gradients(std::span<const float> pixels, std::size_t batch, std::span<const std::uint8_t> labels,
                        std::span<float> gradient, std::span<std::uint8_t> predicted,
                        std::span<float> losses) const override {
        frozen_->loss_gradients(pixels, batch, labels, gradient, predicted, losses);
    }
    void predict(std::span<const float> pixels, std::size_t batch, std::span<std::uint8_t> predicted) const override {
        frozen_->predict(pixels, batch, predicted);
    }
    [[nodiscard]] std::size_t pixels_per_image() const override { return frozen_->pixels_per_image(); }

    // Every parameter in one vector (each block's kernels, then the last layer's weights, features x classes,
    // and its biases), for tests.
    [[nodiscard]] std::vector<float> parameters() const;
    void set_parameters(std::span<const float> values);
    // The mean cross-entropy of one batch as training sees it (BatchNorm on the batch's statistics; the running
    // ones move as a side effect), and its gradient with respect to parameters() into `gradient`.
    double batch_loss_gradient(std::span<const float> pixels, std::span<const std::uint8_t> labels,
                               std::vector<float>& gradient);

private:
    // Scratch of one block's training pass over a batch.
    struct BlockPass {
        std::vector<float> normalised;  // batch x input: the BatchNorm output (x_hat)
        std::vector<float> scales;      // per input channel, the batch's 1 / sqrt(variance + epsilon)
        std::vector<float> patches;     // (batch x positions) x patch_size
        std::vector<float> drive;       // (batch x positions) x filters
        std::vector<float> activated;   // the same, after the triangle
        std::vector<float> output;      // batch x output
    };
    // The gradients of one batch's mean loss, into scratch_: kernels, head, bias.
    struct Scratch {
        std::vector<std::vector<float>> kernels;  // per block, patch_size x filters
        std::vector<float> head;
        std::vector<float> bias;
        std::vector<float> logits;  // batch x classes, then d loss / d logits
        std::vector<float> grad;    // d loss / d (a block's output), batch x output
        std::vector<float> g_act;
        std::vector<float> g_patches;
        std::vector<float> g_in;
    };
    // Forward and backward over one batch; returns its mean loss.
    double batch_gradients(std::span<const float> pixels, std::span<const std::uint8_t> labels);
    // frozen_ = the network as it stands, for prediction and attacks.
    void refreeze();

    DeepRateNetwork network_;
    std::size_t classes_;
    std::vector<float> head_;  // features x classes (source-major, for gemm)
    std::vector<float> bias_;  // classes
    std::vector<Adam> kernel_adam_;
    Adam head_adam_{0};
    Adam bias_adam_{0};
    std::vector<BlockPass> passes_;
    Scratch scratch_;
    std::optional<DeepClassifier> frozen_;
};

}  // namespace softspike
