#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/conv_shape.hpp"
#include "core/im2col.hpp"

namespace softspike {

// out (positions x filters) = patches . kernels, kernels (patch_size x filters): each position's response of
// every filter, channels last, so that a soft-WTA across channels at a position reads one row. `patches` is
// the caller's buffer (positions x patch_size), reused between images rather than allocated per call.
void conv2d(std::span<const float> image, std::span<const float> kernels, std::size_t filters, const Conv2dShape& shape,
            std::span<float> patches, std::span<float> out);

}  // namespace softspike
