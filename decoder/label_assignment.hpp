#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "decoder/rate_vectors.hpp"

namespace softspike {

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
    std::vector<std::size_t> neurons_per_class_;
};

}  // namespace softspike
