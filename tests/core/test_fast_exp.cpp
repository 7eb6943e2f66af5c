#include <doctest/doctest.h>

#include <cmath>

#include "core/fast_exp.hpp"

using namespace softspike;

TEST_CASE("fast_exp_nonpositive matches std::exp to float precision over [-87, 0]") {
    double worst = 0.0;
    for (float x = 0.0F; x >= -87.0F; x -= 0.0137F) {
        const double exact = std::exp(static_cast<double>(x));
        worst = std::max(worst, std::abs(fast_exp_nonpositive(x) - exact) / exact);
    }
    CHECK(worst < 5e-7);
    CHECK(fast_exp_nonpositive(0.0F) == doctest::Approx(1.0).epsilon(1e-7));
    CHECK(fast_exp_nonpositive(-1000.0F) < 1e-37F);
    CHECK(fast_exp_nonpositive(-1000.0F) >= 0.0F);
}
