#pragma once
#include <span>
#include <vector>

#include "rate/deep_rate_network.hpp"

namespace softspike {

// What one frozen block computed for one image, kept for the way back.
struct BlockTrace {
    std::vector<float> patches;    // positions x patch_size, of the normalised input
    std::vector<float> drive;      // positions x filters, before the triangle
    std::vector<float> activated;  // positions x filters, after it (what pooling read)
    std::vector<float> output;     // channels x height x width, after pooling
};

// The frozen network's pass over one image (evaluation BatchNorm, convolution, triangle, pooling per block), the
// same computation as DeepRateNetwork::run; trace.back().output is the image's feature vector.
void deep_forward(const DeepRateNetwork& network, std::span<const float> image, std::vector<BlockTrace>& trace);

// `grad` (d loss / d features, consumed) sent back through every block of `trace`'s pass to the image: d loss / d
// pixels into `pixel_gradient` (docs/model.md §14).
void deep_backward(const DeepRateNetwork& network, const std::vector<BlockTrace>& trace, std::vector<float>& grad,
                   std::span<float> pixel_gradient);

}  // namespace softspike
