#include "core/conv_shape.hpp"

namespace softspike {

std::string Conv2dShape::problem() const {
    if (channels == 0 || height == 0 || width == 0) return "input: expected at least one channel, row and column";
    if (kernel == 0) return "kernel: expected at least 1";
    if (stride == 0) return "stride: expected at least 1";
    if (kernel > height + 2 * padding || kernel > width + 2 * padding) {
        return "kernel: expected at most the padded input (" + std::to_string(height + 2 * padding) + " x " +
               std::to_string(width + 2 * padding) + "), found " + std::to_string(kernel);
    }
    if (mode == Padding::reflect && (padding >= height || padding >= width)) {
        return "padding: expected less than the input's height and width for reflect padding, found " +
               std::to_string(padding);
    }
    return {};
}

std::ptrdiff_t padded_source(std::ptrdiff_t i, std::ptrdiff_t size, Padding mode) {
    if (i >= 0 && i < size) return i;
    if (mode == Padding::zero) return -1;
    return i < 0 ? -i : 2 * (size - 1) - i;
}

}  // namespace softspike
