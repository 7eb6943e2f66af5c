#include "readout/label_assignment.hpp"

#include <stdexcept>

namespace softspike {

void LabelAssignment::fit(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes) {
    if (labels.size() != rates.samples) throw std::invalid_argument("LabelAssignment::fit: label count mismatch");
    classes_ = classes;
    std::vector<double> sum(rates.neurons * classes, 0.0);
    std::vector<std::size_t> per_class(classes, 0);
    for (std::size_t s = 0; s < rates.samples; ++s) {
        const auto r = rates.row(s);
        const std::size_t c = labels[s];
        ++per_class[c];
        for (std::size_t k = 0; k < rates.neurons; ++k) sum[k * classes + c] += r[k];
    }
    assignments_.assign(rates.neurons, unassigned);
    for (std::size_t k = 0; k < rates.neurons; ++k) {
        double best = 0.0;
        for (std::size_t c = 0; c < classes; ++c) {
            if (per_class[c] == 0) continue;
            const double mean = sum[k * classes + c] / static_cast<double>(per_class[c]);
            if (mean > best) {  // strict: ties go to the lower class; a silent neuron stays unassigned
                best = mean;
                assignments_[k] = static_cast<std::int16_t>(c);
            }
        }
    }
}

std::uint8_t LabelAssignment::predict(std::span<const float> rate) const {
    const std::size_t c = vote_by_assignment(std::span<const std::int16_t>(assignments_), rate, classes_);
    return static_cast<std::uint8_t>(c == classes_ ? 0 : c);  // nothing assigned: class 0
}

std::vector<std::uint8_t> LabelAssignment::predict(const RateVectors& rates) const {
    std::vector<std::uint8_t> out(rates.samples);
    for (std::size_t s = 0; s < rates.samples; ++s) out[s] = predict(rates.row(s));
    return out;
}

}  // namespace softspike
