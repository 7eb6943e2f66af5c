#include "decoder/online_label_assignment.hpp"

namespace softspike {

OnlineLabelAssignment::OnlineLabelAssignment(std::size_t neurons, std::size_t classes)
    : classes_(classes), counts_(neurons * classes, 0.0), assignment_(neurons, -1) {}

bool OnlineLabelAssignment::observe(std::span<const std::uint32_t> spikes, std::size_t label) {
    std::vector<double> score(classes_, 0.0);
    std::vector<std::size_t> members(classes_, 0);
    for (std::size_t k = 0; k < assignment_.size(); ++k) {
        if (assignment_[k] < 0) continue;
        score[static_cast<std::size_t>(assignment_[k])] += spikes[k];
        ++members[static_cast<std::size_t>(assignment_[k])];
    }
    std::size_t guess = classes_;  // no guess before any neuron is assigned
    double best = -1.0;
    for (std::size_t c = 0; c < classes_; ++c) {
        if (members[c] == 0) continue;
        const double mean = score[c] / static_cast<double>(members[c]);
        if (mean > best) best = mean, guess = c;
    }
    for (std::size_t k = 0; k < assignment_.size(); ++k) {
        if (spikes[k] == 0) continue;
        double* row = counts_.data() + k * classes_;
        row[label] += spikes[k];
        std::size_t arg = 0;
        for (std::size_t c = 1; c < classes_; ++c) arg = row[c] > row[arg] ? c : arg;
        assignment_[k] = static_cast<int>(arg);
    }
    // Forget 2% every 100 images: the assignments follow the last few thousand images.
    if (++seen_ % 100 == 0) {
        for (double& v : counts_) v *= 0.98;
    }
    return guess == label;
}

}  // namespace softspike
