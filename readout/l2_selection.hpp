#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "readout/linear_readout.hpp"
#include "readout/rate_vectors.hpp"

namespace softspike {

// How the linear read-out's l2 was chosen: each candidate's accuracy on the held-out part of the training
// vectors, and the winner.
struct L2Selection {
    std::vector<double> candidates;
    std::vector<double> validation_accuracy;  // one per candidate
    double chosen = 0.0;
    std::size_t fit_samples = 0;
    std::size_t validation_samples = 0;
};

// Chooses l2 among params.l2_candidates without looking at the test set: a seeded permutation of the
// training vectors holds out params.validation_fraction of them (rounded, and at least one vector on each side),
// a read-out is fitted on the rest for each candidate, and the candidate with the highest validation
// accuracy wins; ties go to the larger l2, the smoother model. Small training sets overfit a weak penalty,
// which is what this guards against. Throws std::invalid_argument when there are no candidates or fewer
// than two vectors.
L2Selection select_l2(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes,
                      const LinearReadoutParams& params, std::uint64_t seed);

}  // namespace softspike
