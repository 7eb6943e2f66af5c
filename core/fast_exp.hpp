#pragma once
#include <cstdint>
#include <cstring>

namespace softspike {

// e^f by its Taylor polynomial of degree `degree` in Horner form, for the reduced argument |f| <= ln2 / 2 of
// the fast exponentials here and in core/fast_pow.hpp.
template <int degree>
inline float exp_taylor(float f) {
    float factorial = 1.0F;
    for (int k = 2; k <= degree; ++k) factorial *= static_cast<float>(k);
    float p = 1.0F / factorial;
    for (int k = degree - 1; k >= 0; --k) {
        factorial /= static_cast<float>(k + 1);  // k!, exact in float for these degrees
        p = p * f + 1.0F / factorial;
    }
    return p;
}

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
    const float p = exp_taylor<6>(f);
    const auto bits = static_cast<std::int32_t>((static_cast<int>(n) + 127) << 23);
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

}  // namespace softspike
