#include "rate/dense_kernels.hpp"

#include <cblas.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace softspike {

namespace {

void check(std::size_t have, std::size_t need, const char* what) {
    if (have < need) throw std::invalid_argument(std::string("dense kernel: ") + what + " is too small");
}

int as_int(std::size_t n) { return static_cast<int>(n); }

// One OpenBLAS thread per call: the parallelism is TBB's, over fixed blocks. The pthread build is safe to
// call from several threads at once (the serial build is not: it shares its work buffers unlocked).
void single_threaded_blas() {
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
}

}  // namespace

void gemm_nn(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
             std::size_t inner, std::size_t cols, float beta) {
    check(a.size(), rows * inner, "a");
    check(b.size(), inner * cols, "b");
    check(out.size(), rows * cols, "out");
    if (rows == 0 || cols == 0) return;
    single_threaded_blas();
    for_each_column_block(cols, [&](std::size_t first, std::size_t width) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, as_int(rows), as_int(width), as_int(inner), 1.0F,
                    a.data(), as_int(inner), b.data() + first, as_int(cols), beta, out.data() + first, as_int(cols));
    });
}

void gemm_tn_accumulate(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
                        std::size_t inner, std::size_t cols, float alpha) {
    check(a.size(), rows * inner, "a");
    check(b.size(), rows * cols, "b");
    check(out.size(), inner * cols, "out");
    if (rows == 0 || cols == 0) return;
    single_threaded_blas();
    for_each_column_block(cols, [&](std::size_t first, std::size_t width) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, as_int(inner), as_int(width), as_int(rows), alpha,
                    a.data(), as_int(inner), b.data() + first, as_int(cols), 1.0F, out.data() + first, as_int(cols));
    });
}

}  // namespace softspike
