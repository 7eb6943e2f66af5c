#include <doctest/doctest.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <vector>

#include "core/dense_kernels.hpp"
#include "core/random.hpp"

using namespace softspike;

namespace {

struct Shapes {
    std::size_t rows, inner, cols;
    std::vector<float> a, b, g;
    Shapes(std::size_t r, std::size_t d, std::size_t n) : rows(r), inner(d), cols(n), a(r * d), b(d * n), g(r * n) {
        Rng rng(7);
        for (float& v : a) v = static_cast<float>(rng.uniform());
        for (float& v : b) v = static_cast<float>(rng.normal());
        for (float& v : g) v = static_cast<float>(rng.normal() * 0.01);
    }
};

}  // namespace

TEST_CASE("the dense kernels equal a double-precision reference") {
    const Shapes s(3, 50, 600);  // three column blocks
    std::vector<float> out(s.rows * s.cols, 1.0F);
    gemm_nn(s.a, s.b, out, s.rows, s.inner, s.cols, 0.5F);
    for (std::size_t r = 0; r < s.rows; ++r) {
        for (std::size_t k = 0; k < s.cols; ++k) {
            double ref = 0.5;
            for (std::size_t i = 0; i < s.inner; ++i)
                ref += static_cast<double>(s.a[r * s.inner + i]) * s.b[i * s.cols + k];
            CHECK(out[r * s.cols + k] == doctest::Approx(ref).epsilon(1e-5));
        }
    }
    std::vector<float> w = s.b;
    gemm_tn_accumulate(s.a, s.g, w, s.rows, s.inner, s.cols, 2.0F);
    for (std::size_t i = 0; i < s.inner; i += 7) {
        for (std::size_t k = 0; k < s.cols; k += 13) {
            double ref = s.b[i * s.cols + k];
            for (std::size_t r = 0; r < s.rows; ++r) ref += 2.0 * s.a[r * s.inner + i] * s.g[r * s.cols + k];
            CHECK(w[i * s.cols + k] == doctest::Approx(ref).epsilon(1e-5));
        }
    }
}

TEST_CASE("gemm_nt multiplies by the transpose of a source-major matrix, over several column blocks") {
    // out (rows x cols) = a (rows x inner) . b^T with b (cols x inner): cols = 600 is three column blocks.
    const Shapes s(3, 50, 600);
    std::vector<float> b(s.cols * s.inner);
    Rng rng(11);
    for (float& v : b) v = static_cast<float>(rng.normal());
    std::vector<float> out(s.rows * s.cols, 2.0F);
    gemm_nt(s.a, b, out, s.rows, s.inner, s.cols, 0.5F);
    for (std::size_t r = 0; r < s.rows; ++r) {
        for (std::size_t k = 0; k < s.cols; ++k) {
            double ref = 1.0;  // beta 0.5 times the 2 already there
            for (std::size_t i = 0; i < s.inner; ++i)
                ref += static_cast<double>(s.a[r * s.inner + i]) * b[k * s.inner + i];
            CHECK(out[r * s.cols + k] == doctest::Approx(ref).epsilon(1e-5));
        }
    }
}

TEST_CASE("the dense kernels give the same bits when called from many threads at once") {
    // Debian's serial OpenBLAS returned wrong numbers for almost half of the calls made concurrently from two
    // threads: the kernels must stay exact under the concurrency the rate model's parallel passes create.
    const Shapes s(1, 784, 400);
    std::vector<float> reference(s.cols);
    {
        tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        gemm_nn(s.a, s.b, reference, 1, s.inner, s.cols);
    }
    std::vector<int> wrong(64, 0);
    tbb::parallel_for(0, 64, [&](int task) {
        std::vector<float> out(s.cols);
        for (int repeat = 0; repeat < 200; ++repeat) {
            gemm_nn(s.a, s.b, out, 1, s.inner, s.cols);
            wrong[task] += out == reference ? 0 : 1;
        }
    });
    int total = 0;
    for (const int w : wrong) total += w;
    CHECK(total == 0);
}
