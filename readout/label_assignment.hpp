#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "readout/rate_vectors.hpp"

namespace softspike {

// The vote of Diehl & Cook (2015): the class whose assigned neurons fire most on average, counting only
// classes with at least one neuron (assignment -1: none); `classes` when no neuron is assigned at all.
// Ties go to the lower class.
template <typename Count>
std::size_t vote_by_assignment(std::span<const std::int16_t> assignments, std::span<const Count> spikes,
                               std::size_t classes) {
    std::vector<double> total(classes, 0.0);
    std::vector<std::size_t> members(classes, 0);
    for (std::size_t k = 0; k < assignments.size(); ++k) {
        if (assignments[k] < 0) continue;
        total[static_cast<std::size_t>(assignments[k])] += static_cast<double>(spikes[k]);
        ++members[static_cast<std::size_t>(assignments[k])];
    }
    std::size_t best_class = classes;
    double best = -1.0;  // every mean is >= 0
    for (std::size_t c = 0; c < classes; ++c) {
        if (members[c] == 0) continue;
        const double mean = total[c] / static_cast<double>(members[c]);
        if (mean > best) {
            best = mean;
            best_class = c;
        }
    }
    return best_class;
}

// The unsupervised read-out of Diehl & Cook (2015): each neuron is assigned the class for which its mean
// response over labelled data is highest; a sample is given the class whose assigned neurons fire most on
// average. Classes no neuron is assigned to are never predicted.
class LabelAssignment {
public:
    static constexpr std::int16_t unassigned = -1;

    void fit(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes);
    [[nodiscard]] std::uint8_t predict(std::span<const float> rate) const;
    [[nodiscard]] std::vector<std::uint8_t> predict(const RateVectors& rates) const;
    // Per neuron: its class, or `unassigned` if it never fired on the fitting data.
    [[nodiscard]] const std::vector<std::int16_t>& assignments() const { return assignments_; }

private:
    std::size_t classes_ = 0;
    std::vector<std::int16_t> assignments_;
};

}  // namespace softspike
