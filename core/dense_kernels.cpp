#include "core/dense_kernels.hpp"

#include <cblas.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace softspike {

namespace {

void check(std::size_t have, std::size_t need, const char* what) {
    if (have < need) throw std::invalid_argument(std::string("dense kernel: ") + what + " is too small");
}

int as_int(std::size_t n) { return static_cast<int>(n); }

using Sgemm = void (*)(CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, float, const float*,
                       blasint, const float*, blasint, float, float*, blasint);

// OpenBLAS, loaded at first use. Why not linked: Debian's OpenBLAS 0.3.21 does not recognise every CPU its
// kernels run on (on a Sapphire Rapids it fell back to its SSE3 "Prescott" kernels, 48 GFLOP/s against 240 with
// its AVX-512 ones), and it picks its kernels in a constructor that runs when the library loads, before main.
// Loading it here lets OPENBLAS_CORETYPE be set first from the CPU's own feature flags. A machine-wide
// OPENBLAS_CORETYPE is overridden: these machines set Haswell for every program, which made the deep run's
// products 1.2-1.9x slower on a CPU with AVX-512 (docs/experiments.md). SOFTSPIKE_BLAS_CORETYPE names the
// kernels to use instead (e.g. Haswell, for the same rounding on machines without AVX-512). The pthread build is
// loaded by its absolute path, not through Debian's alternatives, because the serial build is not safe to call
// from two threads at once (measured: 18,000 of 40,000 concurrent sgemm calls returned wrong numbers); it is
// told to use one thread per call, since the parallelism is TBB's over fixed blocks.
struct Blas {
    Sgemm sgemm = nullptr;
    std::string core;
};

const Blas& blas() {
    static const Blas loaded = [] {
        if (const char* chosen = std::getenv("SOFTSPIKE_BLAS_CORETYPE"); chosen != nullptr && *chosen != 0) {
            ::setenv("OPENBLAS_CORETYPE", chosen, 1);
        } else {
            __builtin_cpu_init();
            if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
                ::setenv("OPENBLAS_CORETYPE", "SkylakeX", 1);
            } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
                ::setenv("OPENBLAS_CORETYPE", "Haswell", 1);
            } else {
                ::unsetenv("OPENBLAS_CORETYPE");  // OpenBLAS's own choice
            }
        }
        void* library = ::dlopen(SOFTSPIKE_OPENBLAS_PATH, RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) {
            throw std::runtime_error(std::string("cannot load OpenBLAS from " SOFTSPIKE_OPENBLAS_PATH ": ") +
                                     ::dlerror() + " (apt-get install libopenblas0-pthread; scripts/setup.sh does)");
        }
        Blas b;
        b.sgemm = reinterpret_cast<Sgemm>(::dlsym(library, "cblas_sgemm"));
        auto* set_threads = reinterpret_cast<void (*)(int)>(::dlsym(library, "openblas_set_num_threads"));
        auto* core_name = reinterpret_cast<char* (*)()>(::dlsym(library, "openblas_get_corename"));
        if (b.sgemm == nullptr || set_threads == nullptr) {
            throw std::runtime_error("OpenBLAS at " SOFTSPIKE_OPENBLAS_PATH
                                     " lacks cblas_sgemm or openblas_set_num_threads");
        }
        set_threads(1);
        b.core = core_name != nullptr ? core_name() : "unknown";
        return b;
    }();
    return loaded;
}

}  // namespace

void gemm_nn(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
             std::size_t inner, std::size_t cols, float beta) {
    check(a.size(), rows * inner, "a");
    check(b.size(), inner * cols, "b");
    check(out.size(), rows * cols, "out");
    if (rows == 0 || cols == 0) return;
    const Sgemm sgemm = blas().sgemm;
    for_each_column_block(cols, [&](std::size_t first, std::size_t width) {
        sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, as_int(rows), as_int(width), as_int(inner), 1.0F, a.data(),
              as_int(inner), b.data() + first, as_int(cols), beta, out.data() + first, as_int(cols));
    });
}

void gemm_nt(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
             std::size_t inner, std::size_t cols, float beta) {
    check(a.size(), rows * inner, "a");
    check(b.size(), cols * inner, "b");
    check(out.size(), rows * cols, "out");
    if (rows == 0 || cols == 0) return;
    const Sgemm sgemm = blas().sgemm;
    // A block of output columns is a block of b's rows.
    for_each_column_block(cols, [&](std::size_t first, std::size_t width) {
        sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, as_int(rows), as_int(width), as_int(inner), 1.0F, a.data(),
              as_int(inner), b.data() + first * inner, as_int(inner), beta, out.data() + first, as_int(cols));
    });
}

void gemm_tn_accumulate(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
                        std::size_t inner, std::size_t cols, float alpha) {
    check(a.size(), rows * inner, "a");
    check(b.size(), rows * cols, "b");
    check(out.size(), inner * cols, "out");
    if (rows == 0 || cols == 0) return;
    const Sgemm sgemm = blas().sgemm;
    for_each_column_block(cols, [&](std::size_t first, std::size_t width) {
        sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, as_int(inner), as_int(width), as_int(rows), alpha, a.data(),
              as_int(inner), b.data() + first, as_int(cols), 1.0F, out.data() + first, as_int(cols));
    });
}

std::string blas_core() { return blas().core; }

}  // namespace softspike
