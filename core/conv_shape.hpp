#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace softspike {

// How a convolution fills the positions outside its input.
enum class Padding : std::uint8_t {
    zero,     // zeros
    reflect,  // the input mirrored about its edge, the edge itself not repeated (x[-1] = x[1], as PyTorch's)
};

// The geometry of a 2-D convolution with shared kernels over one channels x height x width image: the rate
// form's conv blocks (rate/conv2d) and the spiking form's delivery (network/conv_fanout) share it.
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

// The input row or column that padded coordinate `i` (in [-padding, size + padding)) reads; -1 for a zero.
std::ptrdiff_t padded_source(std::ptrdiff_t i, std::ptrdiff_t size, Padding mode);

}  // namespace softspike
