#pragma once
#include <cstddef>
#include <functional>
#include <span>

namespace softspike {

// Settings of the L-BFGS minimiser.
struct LbfgsParams {
    std::size_t memory = 10;  // correction pairs kept
    std::size_t max_iterations = 500;
    double gradient_tolerance = 1e-6;  // stop when the largest gradient component is below this
    double value_tolerance = 1e-10;    // ... or when an iteration lowers the value by less than this, relatively
};

// How a minimisation ended.
struct LbfgsResult {
    std::size_t iterations = 0;
    std::size_t evaluations = 0;
    double value = 0.0;
    bool converged = false;  // a tolerance was met (not the iteration limit, not a failed line search)
};

// The function to minimise: returns f(x) and writes its gradient.
using LbfgsObjective = std::function<double(std::span<const double> x, std::span<double> gradient)>;

// Limited-memory BFGS (Nocedal & Wright 2006, algorithms 7.4 and 7.5) with a backtracking line search under
// the Armijo condition; a pair whose curvature is not positive is not stored. Minimises `f` from `x` in place.
// Deterministic: no randomness, and the same arithmetic whatever the thread count of `f`.
LbfgsResult minimize_lbfgs(const LbfgsObjective& f, std::span<double> x, const LbfgsParams& params);

}  // namespace softspike
