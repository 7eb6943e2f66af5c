#include "core/im2col.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace softspike {

namespace {

// The input row (or column) that each output row's (column's) k kernel offsets read, -1 for a zero: the same
// for every channel, so looked up once per call.
std::vector<std::ptrdiff_t> sources(std::size_t outputs, const Conv2dShape& shape, std::size_t size) {
    const auto k = static_cast<std::ptrdiff_t>(shape.kernel);
    const auto pad = static_cast<std::ptrdiff_t>(shape.padding);
    std::vector<std::ptrdiff_t> out(outputs * shape.kernel);
    for (std::size_t o = 0; o < outputs; ++o) {
        for (std::ptrdiff_t d = 0; d < k; ++d) {
            out[o * shape.kernel + static_cast<std::size_t>(d)] = padded_source(
                static_cast<std::ptrdiff_t>(o * shape.stride) - pad + d, static_cast<std::ptrdiff_t>(size), shape.mode);
        }
    }
    return out;
}

void check_sizes(std::size_t image, std::size_t patches, const Conv2dShape& shape, const char* who) {
    if (const std::string problem = shape.problem(); !problem.empty()) throw std::invalid_argument(problem);
    if (image != shape.channels * shape.height * shape.width || patches != shape.positions() * shape.patch_size()) {
        throw std::invalid_argument(std::string(who) + ": buffer sizes do not match the shape");
    }
}

// f(patch entry, image index) for every patch entry that reads a pixel (not a zero of the padding), in the
// order the patches are laid out.
template <typename F>
void for_each_tap(const Conv2dShape& shape, F f) {
    const std::vector<std::ptrdiff_t> rows = sources(shape.out_height(), shape, shape.height);
    const std::vector<std::ptrdiff_t> cols = sources(shape.out_width(), shape, shape.width);
    const std::size_t k = shape.kernel;
    const std::size_t plane = shape.height * shape.width;
    std::size_t entry = 0;
    for (std::size_t oy = 0; oy < shape.out_height(); ++oy) {
        const std::ptrdiff_t* ys = rows.data() + oy * k;
        for (std::size_t ox = 0; ox < shape.out_width(); ++ox) {
            const std::ptrdiff_t* xs = cols.data() + ox * k;
            for (std::size_t c = 0; c < shape.channels; ++c) {
                for (std::size_t dy = 0; dy < k; ++dy) {
                    for (std::size_t dx = 0; dx < k; ++dx, ++entry) {
                        if (ys[dy] < 0 || xs[dx] < 0) continue;
                        f(entry, c * plane + static_cast<std::size_t>(ys[dy]) * shape.width +
                                     static_cast<std::size_t>(xs[dx]));
                    }
                }
            }
        }
    }
}

}  // namespace

void im2col(std::span<const float> image, const Conv2dShape& shape, std::span<float> patches) {
    check_sizes(image.size(), patches.size(), shape, "im2col");
    const auto w = static_cast<std::ptrdiff_t>(shape.width);
    const auto k = static_cast<std::ptrdiff_t>(shape.kernel);
    const std::vector<std::ptrdiff_t> rows = sources(shape.out_height(), shape, shape.height);
    const std::vector<std::ptrdiff_t> cols = sources(shape.out_width(), shape, shape.width);
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

void col2im_add(std::span<const float> patches, const Conv2dShape& shape, std::span<float> image) {
    check_sizes(image.size(), patches.size(), shape, "col2im_add");
    // Sequential over the patches: a pixel read by several windows (or, reflected, twice by one) sums its
    // gradients in one fixed order.
    for_each_tap(shape, [&](std::size_t entry, std::size_t pixel) { image[pixel] += patches[entry]; });
}

}  // namespace softspike
