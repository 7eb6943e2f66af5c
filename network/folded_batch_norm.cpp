#include "network/folded_batch_norm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace softspike {

FoldedConv fold_batch_norm(const Conv2dShape& shape, std::span<const float> kernels, std::size_t filters,
                           std::span<const double> mean, std::span<const double> variance, double epsilon) {
    const std::size_t taps = shape.kernel * shape.kernel;
    if (kernels.size() != shape.patch_size() * filters) {
        throw std::invalid_argument("fold_batch_norm: kernels are not patch_size x filters");
    }
    const bool normalised = !mean.empty();
    if (normalised && (mean.size() != shape.channels || variance.size() != shape.channels)) {
        throw std::invalid_argument("fold_batch_norm: statistics are not one per input channel");
    }
    FoldedConv out{std::vector<float>(kernels.begin(), kernels.end()),
                   std::vector<float>(shape.positions() * filters, 0.0F)};
    if (!normalised) return out;
    // The rate form rounds the scale and the shift to float before it normalises (rate/batch_norm): so here.
    std::vector<float> inv(shape.channels);
    std::vector<float> shift(shape.channels);
    for (std::size_t c = 0; c < shape.channels; ++c) {
        inv[c] = static_cast<float>(1.0 / std::sqrt(variance[c] + epsilon));
        shift[c] = static_cast<float>(mean[c]);
    }
    for (std::size_t c = 0; c < shape.channels; ++c) {
        for (std::size_t t = 0; t < taps; ++t) {
            float* row = out.kernels.data() + (c * taps + t) * filters;
            for (std::size_t k = 0; k < filters; ++k) row[k] *= inv[c];
        }
    }
    // Bias: every window's taps that read a pixel, each tap's row times −μ_c/σ_c, in double.
    const auto h = static_cast<std::ptrdiff_t>(shape.height);
    const auto w = static_cast<std::ptrdiff_t>(shape.width);
    const auto pad = static_cast<std::ptrdiff_t>(shape.padding);
    std::vector<double> sum(filters);
    for (std::size_t oy = 0; oy < shape.out_height(); ++oy) {
        for (std::size_t ox = 0; ox < shape.out_width(); ++ox) {
            std::fill(sum.begin(), sum.end(), 0.0);
            for (std::size_t dy = 0; dy < shape.kernel; ++dy) {
                const auto y = static_cast<std::ptrdiff_t>(oy * shape.stride + dy) - pad;
                if (padded_source(y, h, shape.mode) < 0) continue;
                for (std::size_t dx = 0; dx < shape.kernel; ++dx) {
                    const auto x = static_cast<std::ptrdiff_t>(ox * shape.stride + dx) - pad;
                    if (padded_source(x, w, shape.mode) < 0) continue;
                    for (std::size_t c = 0; c < shape.channels; ++c) {
                        const double scale = static_cast<double>(shift[c]) * inv[c];
                        const float* row = kernels.data() + (c * taps + dy * shape.kernel + dx) * filters;
                        for (std::size_t k = 0; k < filters; ++k) sum[k] -= static_cast<double>(row[k]) * scale;
                    }
                }
            }
            float* bias = out.bias.data() + (oy * shape.out_width() + ox) * filters;
            for (std::size_t k = 0; k < filters; ++k) bias[k] = static_cast<float>(sum[k]);
        }
    }
    return out;
}

}  // namespace softspike
