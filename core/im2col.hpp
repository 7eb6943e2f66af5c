#pragma once
#include <span>

#include "core/conv_shape.hpp"

namespace softspike {

// patches (positions x patch_size, row-major, positions in row-major output order) = every window of `image`
// (channels x height x width), padding read as the shape says. The rate form's convolution and the spiking
// form's learning both read patches this way.
void im2col(std::span<const float> image, const Conv2dShape& shape, std::span<float> patches);

// image += the adjoint of im2col applied to `patches`: each patch entry added to the pixel it was read from
// (entries that read padding zeros are dropped). A gradient with respect to the patches, sent back to the image.
void col2im_add(std::span<const float> patches, const Conv2dShape& shape, std::span<float> image);

}  // namespace softspike
