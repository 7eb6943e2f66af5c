#pragma once
#include <cstdint>
#include <cstring>

namespace softspike {

// exp(x) for x <= 0 in float, written so that the compiler vectorises a loop over it (no call, no branch):
// exp(x) = 2^n * e^f with n = round(x log2 e) and |f| <= ln2 / 2, e^f by its degree-6 Taylor polynomial
// (truncation error below 2e-7 relative). Inputs below -87 return about 2^-126
// instead of 0, which no softmax draw can tell apart. Used where one exp per neuron per output spike is
// the cost of a spike: the soft-WTA draw.
inline float fast_exp_nonpositive(float x) {
    constexpr float log2e = 1.44269504088896341F;
    // ln 2 split in two (Cody & Waite): n * ln2_high is exact in float, so x - n ln 2 keeps its precision.
    constexpr float ln2_high = 0.693359375F;
    constexpr float ln2_low = -2.12194440e-4F;
    x = x < -87.0F ? -87.0F : x;  // a select, not a branch, with -fno-trapping-math
    const float n = static_cast<float>(static_cast<int>(x * log2e - 0.5F));  // round(x log2 e); x <= 0
    const float f = (x - n * ln2_high) - n * ln2_low;                         // |f| <= ln2 / 2
    float p = 1.0F / 720.0F;
    p = p * f + 1.0F / 120.0F;
    p = p * f + 1.0F / 24.0F;
    p = p * f + 1.0F / 6.0F;
    p = p * f + 0.5F;
    p = p * f + 1.0F;
    p = p * f + 1.0F;
    const auto bits = static_cast<std::int32_t>((static_cast<int>(n) + 127) << 23);
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

}  // namespace softspike
