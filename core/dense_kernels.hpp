#pragma once
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>

namespace softspike {

// The two products of a dense layer on row-major matrices, computed by OpenBLAS's sgemm (CBLAS), one
// OpenBLAS thread per call, over fixed blocks of output columns that oneTBB spreads over the cores. The blocks do not
// depend on the thread count and each is one sequential sgemm, so the results are bit-identical whatever the number of
// threads (a multi-threaded BLAS gives no such promise). bench/gemm_bench measures this against Eigen and a plain loop;
// see README "Spiking versus rate".

// out (rows x cols) = a (rows x inner) . b (inner x cols), + beta * out.
void gemm_nn(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
             std::size_t inner, std::size_t cols, float beta = 0.0F);

// out (rows x cols) = a (rows x inner) . b^T, with b (cols x inner): a gradient sent back through a layer,
// dX = dU . W^T for W stored source-major (inputs x neurons), + beta * out.
void gemm_nt(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
             std::size_t inner, std::size_t cols, float beta = 0.0F);

// out (inner x cols) += alpha * a^T . b, with a (rows x inner) and b (rows x cols): the Hebbian term
// X^T G of a mini-batch, accumulated into the weights.
void gemm_tn_accumulate(std::span<const float> a, std::span<const float> b, std::span<float> out, std::size_t rows,
                        std::size_t inner, std::size_t cols, float alpha);

// The OpenBLAS kernel family in use (e.g. "SkylakeX"), for reports; loads OpenBLAS if it is not loaded yet.
std::string blas_core();

// Columns per block: 128 and 256 ran within noise of each other at 2000 neurons (bench/gemm_bench, about
// 50 GFLOP/s on 2 cores), 512 was slower there (4 uneven blocks on 2 cores); 256 makes fewer tasks.
inline constexpr std::size_t kGemmColumnBlock = 256;

// block(first, width) for each block of kGemmColumnBlock columns of `cols`, the blocks spread over oneTBB's
// threads. The blocks depend on `cols` only, never on the thread count.
template <typename Block>
void for_each_column_block(std::size_t cols, const Block& block) {
    const std::size_t blocks = (cols + kGemmColumnBlock - 1) / kGemmColumnBlock;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t b = r.begin(); b != r.end(); ++b) {
            const std::size_t first = b * kGemmColumnBlock;
            block(first, std::min(kGemmColumnBlock, cols - first));
        }
    });
}

// f(r) for each of `rows` rows, the rows spread over oneTBB's threads. Each row is computed by one task in a
// fixed order, so row-wise results do not depend on the thread count.
template <typename F>
void for_each_row(std::size_t rows, const F& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, 16), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) f(i);
    });
}

}  // namespace softspike
