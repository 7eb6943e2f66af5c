#include "core/im2col.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace softspike {

void im2col(std::span<const float> image, const Conv2dShape& shape, std::span<float> patches) {
    if (const std::string problem = shape.problem(); !problem.empty()) throw std::invalid_argument(problem);
    if (image.size() != shape.channels * shape.height * shape.width ||
        patches.size() != shape.positions() * shape.patch_size()) {
        throw std::invalid_argument("im2col: buffer sizes do not match the shape");
    }
    const auto h = static_cast<std::ptrdiff_t>(shape.height);
    const auto w = static_cast<std::ptrdiff_t>(shape.width);
    const auto k = static_cast<std::ptrdiff_t>(shape.kernel);
    const auto pad = static_cast<std::ptrdiff_t>(shape.padding);
    // Each output row and column reads k input rows and columns, the same for every channel: looked up once.
    std::vector<std::ptrdiff_t> rows(shape.out_height() * shape.kernel);
    std::vector<std::ptrdiff_t> cols(shape.out_width() * shape.kernel);
    for (std::size_t o = 0; o < shape.out_height(); ++o) {
        for (std::ptrdiff_t d = 0; d < k; ++d) {
            rows[o * shape.kernel + d] = padded_source(static_cast<std::ptrdiff_t>(o * shape.stride) - pad + d, h, shape.mode);
        }
    }
    for (std::size_t o = 0; o < shape.out_width(); ++o) {
        for (std::ptrdiff_t d = 0; d < k; ++d) {
            cols[o * shape.kernel + d] = padded_source(static_cast<std::ptrdiff_t>(o * shape.stride) - pad + d, w, shape.mode);
        }
    }
    float* out = patches.data();
    for (std::size_t oy = 0; oy < shape.out_height(); ++oy) {
        const std::ptrdiff_t* ys = rows.data() + oy * shape.kernel;
        for (std::size_t ox = 0; ox < shape.out_width(); ++ox) {
            const std::ptrdiff_t* xs = cols.data() + ox * shape.kernel;
            for (std::size_t c = 0; c < shape.channels; ++c) {
                const float* plane = image.data() + c * shape.height * shape.width;
                for (std::ptrdiff_t dy = 0; dy < k; ++dy) {
                    if (ys[dy] < 0) {
                        std::fill(out, out + k, 0.0F);
                    } else {
                        const float* row = plane + ys[dy] * w;
                        for (std::ptrdiff_t dx = 0; dx < k; ++dx) out[dx] = xs[dx] < 0 ? 0.0F : row[xs[dx]];
                    }
                    out += k;
                }
            }
        }
    }
}

}  // namespace softspike
