#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace softspike {

// Systematic sampling: the k points (start + j) / k of [0, 1), j = 0 … k − 1, fall into the cumulative shares
// w_i / total of the nonnegative `weights`; the index of each point's share is appended to `sources`, in
// increasing order. Entry i is drawn floor(k w_i / total) or one more times, k w_i / total in expectation over
// start ~ U[0, 1), with a count variance below 1/4. `total` (> 0) is Σ w_i as the caller summed it, so that
// callers that already have it draw the same points. Rounding can leave the last point just past the last
// share: it goes to the last entry with a positive weight.
void systematic_sample(std::span<const float> weights, double total, std::uint32_t k, double start,
                       std::vector<std::uint32_t>& sources);

}  // namespace softspike
