#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/fast_pow.hpp"

using softspike::fast_pow_positive;

TEST_CASE("fast_pow_positive is within 2e-6 of the exact power over ten decades, and 0 for 0 and subnormals") {
    double worst = 0.0;
    for (const float p : {0.3F, 0.7F, 1.0F, 1.4F, 2.5F}) {
        for (int i = 0; i <= 20000; ++i) {
            const auto v = static_cast<float>(std::pow(10.0, -4.0 + 8.0 * i / 20000.0));
            const double exact = std::pow(static_cast<double>(v), static_cast<double>(p));
            if (exact < 1e-5 || exact > 1e5) continue;
            worst = std::max(worst, std::abs(fast_pow_positive(v, p) - exact) / exact);
        }
    }
    CHECK(worst < 2e-6);
    CHECK(worst > 0.0);  // an approximation, not a call of std::pow
    // Around the cut at sqrt(1/2), where the mantissa's range wraps, and at powers of two.
    for (const float v : {0.70710677F, 0.70710683F, 1.4142135F, 1.4142137F, 0.5F, 1.0F, 2.0F, 1024.0F}) {
        const double exact = std::pow(static_cast<double>(v), 1.4);
        CHECK(std::abs(fast_pow_positive(v, 1.4F) - exact) / exact < 1e-6);
    }
    CHECK(fast_pow_positive(0.0F, 0.7F) == 0.0F);
    CHECK(fast_pow_positive(1e-35F, 0.7F) == 0.0F);
    CHECK(fast_pow_positive(1.0F, 0.7F) == doctest::Approx(1.0).epsilon(1e-7));
}
