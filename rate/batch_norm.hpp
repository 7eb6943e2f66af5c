#pragma once
#include <cstddef>
#include <span>
#include <vector>

namespace softspike {

// BatchNorm without affine parameters over the channels of channels x height x width images (multilayer
// SoftHebb normalises each block's input so): while learning, each channel is normalised by the batch's mean
// and variance over images and positions, and running estimates follow them; at evaluation the running
// estimates are used. Same definitions as PyTorch's BatchNorm2d(affine=False): biased variance to normalise,
// unbiased variance into the running estimate, momentum 0.1, epsilon 1e-5.
class BatchNorm {
public:
    explicit BatchNorm(std::size_t channels, double momentum = 0.1, double epsilon = 1e-5);

    // x (batch x channels x positions) normalised in place; `learning`: batch statistics, running ones updated,
    // and (when `scales` is not empty) each channel's factor 1 / sqrt(batch variance + epsilon) into scales[c].
    void apply(std::span<float> x, std::size_t batch, bool learning, std::span<float> scales = {});
    // x normalised in place by the running estimates, as apply(x, batch, false) does.
    void normalise(std::span<float> x, std::size_t batch) const;
    // What channel c is multiplied by at evaluation, 1 / sqrt(running variance + epsilon): the normalisation's
    // derivative, with which a gradient goes back through it.
    [[nodiscard]] float evaluation_scale(std::size_t c) const;

    [[nodiscard]] std::span<const double> running_mean() const { return mean_; }
    [[nodiscard]] std::span<const double> running_variance() const { return variance_; }
    [[nodiscard]] std::span<double> running_mean() { return mean_; }
    [[nodiscard]] std::span<double> running_variance() { return variance_; }

private:
    double momentum_;
    double epsilon_;
    std::vector<double> mean_;      // per channel, running
    std::vector<double> variance_;  // per channel, running (1 at the start, as PyTorch)
};

}  // namespace softspike
