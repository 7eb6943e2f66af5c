#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/im2col.hpp"
#include "core/pooling.hpp"
#include "core/random.hpp"
#include "core/triangle.hpp"

using namespace softspike;

namespace {

std::vector<float> normals(std::size_t n, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<float> out(n);
    for (float& v : out) v = static_cast<float>(rng.normal());
    return out;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
    return s;
}

}  // namespace

TEST_CASE("col2im_add is im2col's adjoint: <im2col(x), p> = <x, col2im(p)>, for zero and reflect padding") {
    for (const Padding mode : {Padding::zero, Padding::reflect}) {
        for (const std::size_t stride : {std::size_t{1}, std::size_t{2}}) {
            Conv2dShape s;
            s.channels = 2;
            s.height = 5;
            s.width = 6;
            s.kernel = 3;
            s.stride = stride;
            s.padding = 1;
            s.mode = mode;
            const std::vector<float> x = normals(s.channels * s.height * s.width, 1);
            const std::vector<float> p = normals(s.positions() * s.patch_size(), 2);
            std::vector<float> patches(p.size());
            im2col(x, s, patches);
            std::vector<float> back(x.size(), 0.0F);
            col2im_add(p, s, back);
            CHECK(dot(patches, p) == doctest::Approx(dot(x, back)).epsilon(1e-5));
        }
    }
    SUBCASE("by hand: a 3 x 3 image, kernel 3, reflect padding 1") {
        Conv2dShape s;
        s.height = 3;
        s.width = 3;
        s.kernel = 3;
        s.padding = 1;
        s.mode = Padding::reflect;
        const std::vector<float> ones(s.positions() * s.patch_size(), 1.0F);
        std::vector<float> back(9, 0.0F);
        col2im_add(ones, s, back);
        // Along one axis, row 1 is read 5 times over the 3 output rows and 3 offsets (twice through the
        // reflection of rows -1 and 3), row 0 and row 2 twice each: a pixel is read (row count) x (column count).
        CHECK(back == std::vector<float>{4, 10, 4, 10, 25, 10, 4, 10, 4});
        CHECK_THROWS_AS(col2im_add(ones, s, std::span<float>(back).subspan(1)), std::invalid_argument);
    }
}

TEST_CASE("pool_backward: a maximum's gradient goes to its first largest input, an average's is shared") {
    // 2 x 2 input, one channel, a 2 x 2 window: the maximum is input 2, tied with input 3 (the first wins).
    const std::vector<float> in = {0.5F, 0.25F, 1.0F, 1.0F};
    const std::vector<float> g = {3.0F};
    std::vector<float> back(4);
    PoolParams max;
    max.kind = PoolKind::max;
    max.size = 2;
    max.stride = 2;
    pool_backward(in, 2, 2, 1, max, g, back);
    CHECK(back == std::vector<float>{0.0F, 0.0F, 3.0F, 0.0F});
    PoolParams average = max;
    average.kind = PoolKind::average;
    average.padding = 1;  // 3 x 3 padded input, windows of 4 of which 1 is a real input (padding counts as zero)
    std::vector<float> g4 = {1.0F, 2.0F, 3.0F, 4.0F};
    pool_backward(in, 2, 2, 1, average, g4, back);
    CHECK(back == std::vector<float>{0.25F, 0.5F, 0.75F, 1.0F});
    SUBCASE("adjoint of the forward pass for averages, against random inputs") {
        const std::size_t h = 6, w = 5, c = 3;
        PoolParams p;
        p.kind = PoolKind::average;
        p.size = 3;
        p.stride = 2;
        p.padding = 1;
        const std::vector<float> x = normals(h * w * c, 3);
        const std::vector<float> go = normals(c * p.out(h) * p.out(w), 4);
        std::vector<float> y(go.size());
        pool_to_channels_first(x, h, w, c, p, y);
        std::vector<float> gx(x.size());
        pool_backward(x, h, w, c, p, go, gx);
        CHECK(dot(y, go) == doctest::Approx(dot(x, gx)).epsilon(1e-5));  // linear: y = A x
    }
}

TEST_CASE("triangle_backward_rows equals central differences of the triangle with a power") {
    for (const double power : {0.7, 1.0, 1.4}) {
        const std::size_t n = 6;
        const std::vector<float> u = normals(2 * n, 5);
        const std::vector<float> go = normals(2 * n, 6);
        std::vector<float> g = go;
        triangle_backward_rows(u, 2, power, g);
        for (std::size_t j = 0; j < 2 * n; ++j) {
            constexpr float h = 1e-3F;
            std::vector<float> up = u;
            std::vector<float> down = u;
            up[j] += h;
            down[j] -= h;
            triangle_rows(up, 2, power);
            triangle_rows(down, 2, power);
            const double numeric = (dot(up, go) - dot(down, go)) / (2.0 * h);
            CHECK(g[j] == doctest::Approx(numeric).epsilon(0.01).scale(1.0));
        }
    }
}
