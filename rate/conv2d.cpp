#include "rate/conv2d.hpp"

#include <stdexcept>
#include <vector>

#include "core/dense_kernels.hpp"

namespace softspike {

void conv2d(std::span<const float> image, std::span<const float> kernels, std::size_t filters, const Conv2dShape& shape,
            std::span<float> patches, std::span<float> out) {
    if (kernels.size() != shape.patch_size() * filters || out.size() != shape.positions() * filters) {
        throw std::invalid_argument("conv2d: kernel or output size does not match the shape");
    }
    im2col(image, shape, patches);
    gemm_nn(patches, kernels, out, shape.positions(), shape.patch_size(), filters);
}

}  // namespace softspike
