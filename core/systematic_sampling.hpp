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

// Unit spikes standing for nonnegative `values` at `quantum` each, by the same systematic sampling with the
// points start + j (start in [0, 1)) on the cumulative sums C_i = Σ_{j ≤ i} v_j / quantum: entry i fires
// ceil(C_i − start) − ceil(C_{i−1} − start) times, which is floor(v_i / quantum) or one more, and v_i / quantum
// in expectation; the whole map fires Σ v / quantum times, rounded down or up. Appends each spike's index,
// in increasing order; returns the number appended.
std::size_t systematic_quantise(std::span<const float> values, double quantum, double start,
                                std::vector<std::uint32_t>& sources);

}  // namespace softspike
