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
    const auto pad = static_cast<std::ptrdiff_t>(shape.padding);
    // The bias of a position depends only on which of its kernel rows and columns read a pixel, so positions
    // are grouped by that pattern and each pattern summed once (with reflect padding every position has the
    // same one): the same sums in the same order, a few instead of positions x patch x filters.
    const auto patterns = [&](std::size_t outs, std::size_t size, std::vector<std::vector<char>>& seen) {
        std::vector<std::size_t> index(outs);
        for (std::size_t o = 0; o < outs; ++o) {
            std::vector<char> valid(shape.kernel);
            for (std::size_t d = 0; d < shape.kernel; ++d) {
                const auto at = static_cast<std::ptrdiff_t>(o * shape.stride + d) - pad;
                valid[d] = padded_source(at, static_cast<std::ptrdiff_t>(size), shape.mode) >= 0 ? 1 : 0;
            }
            const auto found = std::find(seen.begin(), seen.end(), valid);
            index[o] = static_cast<std::size_t>(found - seen.begin());
            if (found == seen.end()) seen.push_back(std::move(valid));
        }
        return index;
    };
    std::vector<std::vector<char>> row_patterns;
    std::vector<std::vector<char>> col_patterns;
    const std::vector<std::size_t> row_of = patterns(shape.out_height(), shape.height, row_patterns);
    const std::vector<std::size_t> col_of = patterns(shape.out_width(), shape.width, col_patterns);
    std::vector<std::vector<float>> done(row_patterns.size() * col_patterns.size());
    std::vector<double> sum(filters);
    for (std::size_t oy = 0; oy < shape.out_height(); ++oy) {
        for (std::size_t ox = 0; ox < shape.out_width(); ++ox) {
            std::vector<float>& cached = done[row_of[oy] * col_patterns.size() + col_of[ox]];
            if (cached.empty()) {
                const std::vector<char>& rows = row_patterns[row_of[oy]];
                const std::vector<char>& cols = col_patterns[col_of[ox]];
                std::fill(sum.begin(), sum.end(), 0.0);
                for (std::size_t dy = 0; dy < shape.kernel; ++dy) {
                    if (rows[dy] == 0) continue;
                    for (std::size_t dx = 0; dx < shape.kernel; ++dx) {
                        if (cols[dx] == 0) continue;
                        for (std::size_t c = 0; c < shape.channels; ++c) {
                            const double scale = static_cast<double>(shift[c]) * inv[c];
                            const float* row = kernels.data() + (c * taps + dy * shape.kernel + dx) * filters;
                            for (std::size_t k = 0; k < filters; ++k) sum[k] -= static_cast<double>(row[k]) * scale;
                        }
                    }
                }
                cached.resize(filters);
                for (std::size_t k = 0; k < filters; ++k) cached[k] = static_cast<float>(sum[k]);
            }
            std::copy(cached.begin(), cached.end(),
                      out.bias.begin() + static_cast<std::ptrdiff_t>((oy * shape.out_width() + ox) * filters));
        }
    }
    return out;
}

}  // namespace softspike
