#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace softspike {

// How a convolution fills the positions outside its input.
enum class Padding : std::uint8_t {
    zero,     // zeros
    reflect,  // the input mirrored about its edge, the edge itself not repeated (x[-1] = x[1], as PyTorch's)
};

// The geometry of a 2-D convolution with shared kernels over one channels x height x width image
// (the first step of multilayer SoftHebb's conv blocks, issue 15).
struct Conv2dShape {
    std::size_t channels = 1;
    std::size_t height = 1;
    std::size_t width = 1;
    std::size_t kernel = 1;  // square kernels, kernel x kernel
    std::size_t stride = 1;
    std::size_t padding = 0;
    Padding mode = Padding::zero;

    [[nodiscard]] std::size_t out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
    [[nodiscard]] std::size_t out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
    [[nodiscard]] std::size_t positions() const { return out_height() * out_width(); }
    // One patch: every input channel's kernel x kernel window, channel-major, as a kernel's weights are laid out.
    [[nodiscard]] std::size_t patch_size() const { return channels * kernel * kernel; }
    // Empty when the shape is usable; otherwise what is wrong, naming the field (the config names the layer).
    [[nodiscard]] std::string problem() const;
};

// patches (positions x patch_size, row-major, positions in row-major output order) = every window of `image`
// (channels x height x width).
void im2col(std::span<const float> image, const Conv2dShape& shape, std::span<float> patches);

// out (positions x filters) = patches . kernels, kernels (patch_size x filters): each position's response of
// every filter, channels last, so that a soft-WTA across channels at a position reads one row. `patches` is
// the caller's buffer (positions x patch_size), reused between images rather than allocated per call.
void conv2d(std::span<const float> image, std::span<const float> kernels, std::size_t filters, const Conv2dShape& shape,
            std::span<float> patches, std::span<float> out);

}  // namespace softspike
