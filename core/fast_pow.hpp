#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "core/fast_exp.hpp"

namespace softspike {

// v^p for v >= 0 and p > 0 in float, written so that the compiler vectorises a loop over it (no call, no branch),
// as exp2(p log2 v): log2 v = e + log2 m with v = m 2^e, m in [sqrt(1/2), sqrt(2)), and ln m = 2 atanh(s),
// s = (m - 1) / (m + 1), |s| <= 0.172, by its series to s^9 (truncation below 3e-9); 2^y = 2^n 2^f with
// n = round(y), |f| <= 1/2, 2^f by the degree-7 Taylor polynomial of e^(f ln 2) (below 2e-9). Relative error
// about 1e-7 (|y| + 1) against the exact power: below 2e-6 for results in [1e-5, 1e5], tested in
// tests/test_fast_pow.cpp. Inputs below 1e-30 (zero, and the subnormals that would cost a hundredfold) give 0;
// results must stay below 2^127. The triangle activation of a deep run takes one per unit per image: powf was
// 12 % of its profile.
inline float fast_pow_positive(float v, float p) {
    std::int32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    // m in [sqrt(1/2), sqrt(2)): subtracting the bits of sqrt(1/2) before splitting moves the cut there.
    constexpr std::int32_t sqrt_half_bits = 0x3f3504f3;
    const std::int32_t shifted = bits - sqrt_half_bits;
    const std::int32_t exponent = shifted >> 23;  // arithmetic shift: the exponent relative to sqrt(1/2)
    const std::int32_t mantissa_bits = (shifted & 0x007fffff) + sqrt_half_bits;
    float m;
    std::memcpy(&m, &mantissa_bits, sizeof m);
    const float s = (m - 1.0F) / (m + 1.0F);
    const float s2 = s * s;
    float series = 1.0F / 9.0F;
    series = series * s2 + 1.0F / 7.0F;
    series = series * s2 + 1.0F / 5.0F;
    series = series * s2 + 1.0F / 3.0F;
    series = series * s2 + 1.0F;
    constexpr float two_log2e = 2.88539008177792681F;  // 2 / ln 2
    const float log2v = static_cast<float>(exponent) + two_log2e * s * series;
    float y = p * log2v;
    y = std::max(y, -126.0F);
    // round(y) by the float adder itself: adding 1.5 * 2^23 leaves no fraction bits (|y| < 2^22), to nearest.
    constexpr float round_shift = 12582912.0F;
    const float n = (y + round_shift) - round_shift;
    const float f = (y - n) * 0.693147180559945309F;  // |f| <= ln2 / 2
    const float q = exp_taylor<7>(f);
    const auto scale_bits = static_cast<std::int32_t>((static_cast<int>(n) + 127) << 23);
    float scale;
    std::memcpy(&scale, &scale_bits, sizeof scale);
    return v < 1e-30F ? 0.0F : q * scale;
}

}  // namespace softspike
