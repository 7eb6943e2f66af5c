#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "core/conv_shape.hpp"

namespace softspike {

// A frozen BatchNorm folded into the convolution after it, so that spikes can carry the block's raw input
// (issue 16; docs/model.md §13). Spikes cannot carry the negative values of a normalised input, but
// conv(W, (x − μ)/σ) = conv(W/σ, x) − conv(W, μ/σ) over the taps that read the image, and the second term does
// not depend on the image: it is a bias per output position and filter, set at the start of a presentation.
struct FoldedConv {
    std::vector<float> kernels;  // patch_size x filters: w[(c, dy, dx), k] / σ_c, the rate form's layout
    std::vector<float> bias;     // positions x filters: −Σ over the taps reading an input pixel of w μ_c / σ_c
};

// σ_c = sqrt(variance_c + epsilon), the rate form's BatchNorm at evaluation (rate/batch_norm). Empty `mean`
// and `variance`: a block without BatchNorm (the kernels as they are, no bias). With zero padding, a tap
// outside the image reads a normalised 0 in the rate form, so it adds no bias term; with reflect padding every
// tap reads some pixel, and a pixel read twice by one window counts twice.
FoldedConv fold_batch_norm(const Conv2dShape& shape, std::span<const float> kernels, std::size_t filters,
                           std::span<const double> mean, std::span<const double> variance, double epsilon = 1e-5);

}  // namespace softspike
