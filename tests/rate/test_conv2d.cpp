#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/random.hpp"
#include "rate/conv2d.hpp"

using namespace softspike;

namespace {

// The input value at padded coordinates (y, x) of channel c, by the padding's definition.
float padded(const std::vector<float>& image, const Conv2dShape& s, std::size_t c, long y, long x) {
    const long h = static_cast<long>(s.height);
    const long w = static_cast<long>(s.width);
    if (y < 0 || y >= h || x < 0 || x >= w) {
        if (s.mode == Padding::zero) return 0.0F;
        y = y < 0 ? -y : (y >= h ? 2 * (h - 1) - y : y);
        x = x < 0 ? -x : (x >= w ? 2 * (w - 1) - x : x);
    }
    return image[(c * s.height + static_cast<std::size_t>(y)) * s.width + static_cast<std::size_t>(x)];
}

// The convolution written out as its sum, one output at a time.
std::vector<float> direct(const std::vector<float>& image, const std::vector<float>& kernels, std::size_t filters,
                          const Conv2dShape& s) {
    std::vector<float> out(s.positions() * filters, 0.0F);
    for (std::size_t oy = 0; oy < s.out_height(); ++oy) {
        for (std::size_t ox = 0; ox < s.out_width(); ++ox) {
            for (std::size_t f = 0; f < filters; ++f) {
                double sum = 0.0;
                for (std::size_t c = 0; c < s.channels; ++c) {
                    for (std::size_t dy = 0; dy < s.kernel; ++dy) {
                        for (std::size_t dx = 0; dx < s.kernel; ++dx) {
                            const long y = static_cast<long>(oy * s.stride + dy) - static_cast<long>(s.padding);
                            const long x = static_cast<long>(ox * s.stride + dx) - static_cast<long>(s.padding);
                            const std::size_t weight = (c * s.kernel + dy) * s.kernel + dx;
                            sum += static_cast<double>(padded(image, s, c, y, x)) * kernels[weight * filters + f];
                        }
                    }
                }
                out[(oy * s.out_width() + ox) * filters + f] = static_cast<float>(sum);
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("conv2d by im2col and sgemm equals the direct sum, for zero and reflect padding and strides 1 and 2") {
    Rng rng(3);
    for (const Padding mode : {Padding::zero, Padding::reflect}) {
        for (const std::size_t stride : {1U, 2U}) {
            Conv2dShape s;
            s.channels = 3;
            s.height = 7;
            s.width = 6;
            s.kernel = 3;
            s.stride = stride;
            s.padding = 2;
            s.mode = mode;
            const std::size_t filters = 5;
            std::vector<float> image(s.channels * s.height * s.width);
            std::vector<float> kernels(s.patch_size() * filters);
            for (float& v : image) v = static_cast<float>(rng.uniform());
            for (float& v : kernels) v = static_cast<float>(rng.uniform() - 0.5);
            std::vector<float> patches(s.positions() * s.patch_size());
            std::vector<float> out(s.positions() * filters);
            conv2d(image, kernels, filters, s, patches, out);
            const std::vector<float> expected = direct(image, kernels, filters, s);
            CAPTURE(stride);
            CHECK(s.out_height() == (stride == 1 ? 9U : 5U));
            CHECK(s.out_width() == (stride == 1 ? 8U : 4U));
            for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == doctest::Approx(expected[i]).epsilon(1e-5));
        }
    }
}

TEST_CASE("reflect padding mirrors about the edge without repeating it") {
    Conv2dShape s;
    s.height = 3;  // a 3 x 3 single-channel image, kernel 1, padding 1: the output is the padded image
    s.width = 3;
    s.kernel = 1;
    s.padding = 1;
    s.mode = Padding::reflect;
    const std::vector<float> image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    std::vector<float> patches(s.positions());
    im2col(image, s, patches);
    // Row -1 is row 1, column -1 is column 1: the corner (-1, -1) reads (1, 1) = 5.
    CHECK(patches == std::vector<float>{5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 8, 7, 8, 9, 8, 5, 4, 5, 6, 5});
}

TEST_CASE("a convolution shape that cannot work says which field is wrong") {
    Conv2dShape s;
    s.height = 4;
    s.width = 4;
    s.kernel = 7;
    CHECK(s.problem().find("kernel: expected at most the padded input (4 x 4), found 7") == 0);
    s.kernel = 3;
    s.stride = 0;
    CHECK(s.problem().find("stride") == 0);
    s.stride = 1;
    s.padding = 4;
    s.mode = Padding::reflect;
    CHECK(s.problem().find("padding: expected less than") == 0);
    s.padding = 1;
    CHECK(s.problem().empty());
    std::vector<float> image(15);  // one short
    std::vector<float> patches(s.positions() * s.patch_size());
    CHECK_THROWS_AS(im2col(image, s, patches), std::invalid_argument);
}
