#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/conv_shape.hpp"

namespace softspike {

// patches (positions x patch_size, row-major, positions in row-major output order) = every window of `image`
// (channels x height x width).
void im2col(std::span<const float> image, const Conv2dShape& shape, std::span<float> patches);

// out (positions x filters) = patches . kernels, kernels (patch_size x filters): each position's response of
// every filter, channels last, so that a soft-WTA across channels at a position reads one row. `patches` is
// the caller's buffer (positions x patch_size), reused between images rather than allocated per call.
void conv2d(std::span<const float> image, std::span<const float> kernels, std::size_t filters, const Conv2dShape& shape,
            std::span<float> patches, std::span<float> out);

}  // namespace softspike
