#pragma once

// SOFTSPIKE_VECTOR_CLONES before a function with a hot elementwise loop compiles it three times, for AVX-512,
// AVX2 and the portable baseline, and picks the clone from the CPU's flags when the program loads. The build
// itself stays portable (no -march=native). The clones give the same bits: the library is built with
// -ffp-contract=off, so no clone fuses a multiply and an add that another does not, and reductions are written
// with a fixed order of partial sums.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define SOFTSPIKE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SOFTSPIKE_VECTOR_CLONES
#endif
