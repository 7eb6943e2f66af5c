// The rate model's two products at the shapes of a mini-batch step (B samples, D inputs, N neurons):
// forward U = X W (B x D . D x N) and the Hebbian accumulation W += X^T G (D x B . B x N), computed three
// ways over the same fixed TBB column blocks: serial OpenBLAS sgemm (what core/dense_kernels uses), Eigen
// (single-threaded per block), and a plain loop the compiler vectorises. Prints GFLOP/s of each, so that
// the README's choice of kernel rests on a measurement. Usage: gemm_bench [B D N repeats]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "core/random.hpp"
#include "core/dense_kernels.hpp"

#ifdef SOFTSPIKE_HAVE_EIGEN
#include <Eigen/Dense>
#endif

namespace {

using namespace softspike;
using Clock = std::chrono::steady_clock;

// out[r, first..first+width) = sum_i a[r, i] b[i, first..): row of a times a block of b's rows.
void loop_nn(const float* a, const float* b, float* out, std::size_t rows, std::size_t inner, std::size_t cols,
             std::size_t first, std::size_t width) {
    for (std::size_t r = 0; r < rows; ++r) {
        float* o = out + r * cols + first;
        std::fill(o, o + width, 0.0F);
        for (std::size_t i = 0; i < inner; ++i) {
            const float av = a[r * inner + i];
            const float* bi = b + i * cols + first;
            for (std::size_t k = 0; k < width; ++k) o[k] += av * bi[k];
        }
    }
}

void loop_tn(const float* a, const float* g, float* w, std::size_t rows, std::size_t inner, std::size_t cols,
             std::size_t first, std::size_t width) {
    for (std::size_t i = 0; i < inner; ++i) {
        float* wi = w + i * cols + first;
        for (std::size_t r = 0; r < rows; ++r) {
            const float av = a[r * inner + i];
            const float* gr = g + r * cols + first;
            for (std::size_t k = 0; k < width; ++k) wi[k] += av * gr[k];
        }
    }
}

double seconds(const std::function<void()>& f, int repeats) {
    f();  // warm-up
    const auto start = Clock::now();
    for (int i = 0; i < repeats; ++i) f();
    return std::chrono::duration<double>(Clock::now() - start).count() / repeats;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t batch = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100;
    const std::size_t d = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 784;
    const std::size_t n = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2000;
    const int repeats = argc > 4 ? std::atoi(argv[4]) : 20;
    Rng rng(1);
    std::vector<float> x(batch * d), w(d * n), u(batch * n), g(batch * n);
    for (float& v : x) v = static_cast<float>(rng.uniform());
    for (float& v : w) v = static_cast<float>(rng.normal() * 0.05);
    for (float& v : g) v = static_cast<float>(rng.uniform() * 1e-4);
    const double flops = 2.0 * static_cast<double>(batch * d * n);
    std::printf("shape: batch %zu, inputs %zu, neurons %zu; %zu-column blocks over TBB; OpenBLAS kernels: %s\n", batch,
                d, n, kGemmColumnBlock, blas_core().c_str());
    std::printf("%-22s %12s %12s\n", "kernel", "U = X W", "W += X^T G");
    auto report = [&](const char* name, const std::function<void()>& nn, const std::function<void()>& tn) {
        const double a = seconds(nn, repeats);
        const double b = seconds(tn, repeats);
        std::printf("%-22s %8.1f GF/s %8.1f GF/s\n", name, flops / a * 1e-9, flops / b * 1e-9);
    };
    report(
        "OpenBLAS sgemm", [&] { gemm_nn(x, w, u, batch, d, n); },
        [&] { gemm_tn_accumulate(x, g, w, batch, d, n, 1.0F); });
#ifdef SOFTSPIKE_HAVE_EIGEN
    using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using Stride = Eigen::OuterStride<>;
    report(
        "Eigen 3 (per block)",
        [&] {
            for_each_column_block(n, [&](std::size_t first, std::size_t width) {
                Eigen::Map<const Mat> xm(x.data(), batch, d);
                Eigen::Map<const Mat, 0, Stride> wm(w.data() + first, d, width, Stride(n));
                Eigen::Map<Mat, 0, Stride> um(u.data() + first, batch, width, Stride(n));
                um.noalias() = xm * wm;
            });
        },
        [&] {
            for_each_column_block(n, [&](std::size_t first, std::size_t width) {
                Eigen::Map<const Mat> xm(x.data(), batch, d);
                Eigen::Map<const Mat, 0, Stride> gm(g.data() + first, batch, width, Stride(n));
                Eigen::Map<Mat, 0, Stride> wm(w.data() + first, d, width, Stride(n));
                wm.noalias() += xm.transpose() * gm;
            });
        });
#else
    std::printf("%-22s (not built: libeigen3-dev not found)\n", "Eigen 3");
#endif
    report(
        "plain loop",
        [&] {
            for_each_column_block(
                n, [&](std::size_t f, std::size_t wd) { loop_nn(x.data(), w.data(), u.data(), batch, d, n, f, wd); });
        },
        [&] {
            for_each_column_block(
                n, [&](std::size_t f, std::size_t wd) { loop_tn(x.data(), g.data(), w.data(), batch, d, n, f, wd); });
        });
    return 0;
}
