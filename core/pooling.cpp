#include "core/pooling.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/vector_clones.hpp"

namespace softspike {

std::string PoolParams::problem(std::size_t height, std::size_t width) const {
    if (kind == PoolKind::none) return {};
    if (size == 0) return "size: expected at least 1";
    if (stride == 0) return "stride: expected at least 1";
    if (2 * padding > size) return "padding: expected at most half the size, found " + std::to_string(padding);
    if (size > height + 2 * padding || size > width + 2 * padding) {
        return "size: expected at most the padded input (" + std::to_string(height + 2 * padding) + " x " +
               std::to_string(width + 2 * padding) + "), found " + std::to_string(size) + ": nothing would be left";
    }
    return {};
}

namespace {

// The sum and the maximum of each channel over the window [y0, y1) x [x0, x1) of an HWC input.
SOFTSPIKE_VECTOR_CLONES
void pool_window(const float* in, std::size_t width, std::size_t channels, std::ptrdiff_t y0, std::ptrdiff_t y1,
                 std::ptrdiff_t x0, std::ptrdiff_t x1, double* sum, float* best) {
    std::fill(sum, sum + channels, 0.0);
    std::fill(best, best + channels, -std::numeric_limits<float>::infinity());
    for (std::ptrdiff_t y = y0; y < y1; ++y) {
        for (std::ptrdiff_t x = x0; x < x1; ++x) {
            const float* v = in + (static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)) * channels;
            for (std::size_t c = 0; c < channels; ++c) {
                sum[c] += v[c];
                best[c] = std::max(best[c], v[c]);
            }
        }
    }
}

// The rows [y0, y1) and columns [x0, x1) of the input that output (oy, ox)'s window covers, padding cut off.
struct Window {
    std::ptrdiff_t y0, y1, x0, x1;
};
Window window(const PoolParams& pool, std::size_t oy, std::size_t ox, std::size_t height, std::size_t width) {
    const auto pad = static_cast<std::ptrdiff_t>(pool.padding);
    const auto size = static_cast<std::ptrdiff_t>(pool.size);
    const std::ptrdiff_t top = static_cast<std::ptrdiff_t>(oy * pool.stride) - pad;
    const std::ptrdiff_t left = static_cast<std::ptrdiff_t>(ox * pool.stride) - pad;
    return {std::max<std::ptrdiff_t>(top, 0), std::min<std::ptrdiff_t>(top + size, static_cast<std::ptrdiff_t>(height)),
            std::max<std::ptrdiff_t>(left, 0),
            std::min<std::ptrdiff_t>(left + size, static_cast<std::ptrdiff_t>(width))};
}

}  // namespace

void pool_to_channels_first(std::span<const float> in, std::size_t height, std::size_t width, std::size_t channels,
                            const PoolParams& pool, std::span<float> out) {
    if (const std::string problem = pool.problem(height, width); !problem.empty()) {
        throw std::invalid_argument("pool " + problem);
    }
    const std::size_t oh = pool.out(height);
    const std::size_t ow = pool.out(width);
    if (in.size() != height * width * channels || out.size() != channels * oh * ow) {
        throw std::invalid_argument("pool: buffer sizes do not match the shape");
    }
    if (pool.kind == PoolKind::none) {
        for (std::size_t p = 0; p < height * width; ++p) {
            for (std::size_t c = 0; c < channels; ++c) out[c * height * width + p] = in[p * channels + c];
        }
        return;
    }
    const double area = static_cast<double>(pool.size * pool.size);
    // The channels are innermost in the input, so a window is read as whole rows of channels, which vectorises;
    // the maximum and the sum in double run per channel over the window's positions in the same order as before.
    std::vector<double> sum(channels);
    std::vector<float> best(channels);
    for (std::size_t oy = 0; oy < oh; ++oy) {
        for (std::size_t ox = 0; ox < ow; ++ox) {
            const auto [y0, y1, x0, x1] = window(pool, oy, ox, height, width);
            pool_window(in.data(), width, channels, y0, y1, x0, x1, sum.data(), best.data());
            for (std::size_t c = 0; c < channels; ++c) {
                out[(c * oh + oy) * ow + ox] = pool.kind == PoolKind::max ? best[c] : static_cast<float>(sum[c] / area);
            }
        }
    }
}

void pool_backward(std::span<const float> in, std::size_t height, std::size_t width, std::size_t channels,
                   const PoolParams& pool, std::span<const float> grad_out, std::span<float> grad_in) {
    if (const std::string problem = pool.problem(height, width); !problem.empty()) {
        throw std::invalid_argument("pool " + problem);
    }
    const std::size_t oh = pool.out(height);
    const std::size_t ow = pool.out(width);
    if (in.size() != height * width * channels || grad_in.size() != in.size() ||
        grad_out.size() != channels * oh * ow) {
        throw std::invalid_argument("pool_backward: buffer sizes do not match the shape");
    }
    if (pool.kind == PoolKind::none) {
        for (std::size_t p = 0; p < height * width; ++p) {
            for (std::size_t c = 0; c < channels; ++c) grad_in[p * channels + c] = grad_out[c * height * width + p];
        }
        return;
    }
    std::fill(grad_in.begin(), grad_in.end(), 0.0F);
    const auto area = static_cast<float>(pool.size * pool.size);
    std::vector<double> sum(channels);
    std::vector<float> best(channels);
    std::vector<std::size_t> winner(channels);
    for (std::size_t oy = 0; oy < oh; ++oy) {
        for (std::size_t ox = 0; ox < ow; ++ox) {
            const auto [y0, y1, x0, x1] = window(pool, oy, ox, height, width);
            const std::size_t o = oy * ow + ox;
            if (pool.kind == PoolKind::max) {
                pool_window(in.data(), width, channels, y0, y1, x0, x1, sum.data(), best.data());
                std::fill(winner.begin(), winner.end(), in.size());
                // The first input in the forward pass's scan order that equals the maximum is the one it kept.
                for (std::ptrdiff_t y = y0; y < y1; ++y) {
                    for (std::ptrdiff_t x = x0; x < x1; ++x) {
                        const std::size_t at =
                            (static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)) * channels;
                        for (std::size_t c = 0; c < channels; ++c) {
                            if (winner[c] == in.size() && in[at + c] == best[c]) winner[c] = at + c;
                        }
                    }
                }
                for (std::size_t c = 0; c < channels; ++c) grad_in[winner[c]] += grad_out[c * oh * ow + o];
            } else {
                for (std::ptrdiff_t y = y0; y < y1; ++y) {
                    for (std::ptrdiff_t x = x0; x < x1; ++x) {
                        const std::size_t at =
                            (static_cast<std::size_t>(y) * width + static_cast<std::size_t>(x)) * channels;
                        for (std::size_t c = 0; c < channels; ++c) grad_in[at + c] += grad_out[c * oh * ow + o] / area;
                    }
                }
            }
        }
    }
}

}  // namespace softspike
