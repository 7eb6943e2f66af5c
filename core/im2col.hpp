#pragma once
#include <span>

#include "core/conv_shape.hpp"

namespace softspike {

// patches (positions x patch_size, row-major, positions in row-major output order) = every window of `image`
// (channels x height x width), padding read as the shape says. The rate form's convolution and the spiking
// form's learning both read patches this way.
void im2col(std::span<const float> image, const Conv2dShape& shape, std::span<float> patches);

}  // namespace softspike
