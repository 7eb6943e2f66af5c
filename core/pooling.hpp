#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace softspike {

// The pooling that ends a conv block.
enum class PoolKind : std::uint8_t { none, max, average };

// Square pooling windows: size x size, moved by stride, over an input padded by `padding` on each side
// (padding never wins a maximum and, as PyTorch's default, counts as zeros in an average).
struct PoolParams {
    PoolKind kind = PoolKind::none;
    std::size_t size = 1;
    std::size_t stride = 1;
    std::size_t padding = 0;

    [[nodiscard]] std::size_t out(std::size_t in) const {
        return kind == PoolKind::none ? in : (in + 2 * padding - size) / stride + 1;
    }
    // Empty when pooling an input of height x width works; otherwise what is wrong, naming the field.
    [[nodiscard]] std::string problem(std::size_t height, std::size_t width) const;
};

// out (channels x out_h x out_w) = the pooling of `in`, given positions-major with channels last
// (height x width x channels, as a convolution's output rows): the next block reads channels first.
void pool_to_channels_first(std::span<const float> in, std::size_t height, std::size_t width, std::size_t channels,
                            const PoolParams& pool, std::span<float> out);

// grad_in (height x width x channels, as `in`) = the gradient of pool_to_channels_first's output sent back to its
// input `in`: a maximum's gradient goes to the window's first largest input (the one the maximum took), an
// average's is shared by the window's inputs (1 / size^2 each, the padding's share dropped), none's is
// transposed back.
void pool_backward(std::span<const float> in, std::size_t height, std::size_t width, std::size_t channels,
                   const PoolParams& pool, std::span<const float> grad_out, std::span<float> grad_in);

}  // namespace softspike
