#include "readout/online_label_assignment.hpp"

#include <stdexcept>

#include "readout/label_assignment.hpp"

namespace softspike {

OnlineLabelAssignment::OnlineLabelAssignment(std::size_t neurons, std::size_t classes)
    : classes_(classes), counts_(neurons * classes, 0.0), assignment_(neurons, -1) {}

bool OnlineLabelAssignment::observe(std::span<const std::uint32_t> spikes, std::size_t label) {
    // Classified before learning: with nothing assigned yet the vote is `classes_`, never right.
    const std::size_t guess = vote_by_assignment(std::span<const std::int16_t>(assignment_), spikes, classes_);
    for (std::size_t k = 0; k < assignment_.size(); ++k) {
        if (spikes[k] == 0) continue;
        double* row = counts_.data() + k * classes_;
        row[label] += spikes[k];
        std::size_t arg = 0;
        for (std::size_t c = 1; c < classes_; ++c) arg = row[c] > row[arg] ? c : arg;
        assignment_[k] = static_cast<std::int16_t>(arg);
    }
    // Forget 2% every 100 images: the assignments follow the last few thousand images.
    if (++seen_ % 100 == 0) {
        for (double& v : counts_) v *= 0.98;
    }
    return guess == label;
}

void OnlineLabelAssignment::restore(State state) {
    if (state.counts.size() != counts_.size() || state.assignment.size() != assignment_.size()) {
        throw std::invalid_argument("OnlineLabelAssignment::restore: state of another shape");
    }
    counts_ = std::move(state.counts);
    assignment_ = std::move(state.assignment);
    seen_ = state.seen;
}

}  // namespace softspike
