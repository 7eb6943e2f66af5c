#include "readout/l2_selection.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "core/random.hpp"

namespace softspike {

L2Selection select_l2(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes,
                      const LinearReadoutParams& params, std::uint64_t seed) {
    if (params.l2_candidates.empty()) throw std::invalid_argument("select_l2: no l2 candidates");
    const std::size_t n = rates.samples;
    if (n < 2 || labels.size() != n) throw std::invalid_argument("select_l2: needs two or more labelled vectors");
    // The split's stream is the read-out's, at an index no SGD epoch reaches.
    constexpr std::uint64_t split_stream = 1ULL << 40U;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    Rng rng = Rng::stream(seed, StreamPurpose::readout, split_stream);
    shuffle_in_place(order, rng);
    const auto held = std::clamp<std::size_t>(
        static_cast<std::size_t>(static_cast<double>(n) * params.validation_fraction + 0.5), 1, n - 1);
    std::span<const std::size_t> validation(order.data(), held);
    std::span<const std::size_t> fit(order.data() + held, n - held);
    // Both parts in their original order: the fit then sees the vectors as a full-set fit would.
    std::vector<std::size_t> fit_sorted(fit.begin(), fit.end());
    std::vector<std::size_t> validation_sorted(validation.begin(), validation.end());
    std::sort(fit_sorted.begin(), fit_sorted.end());
    std::sort(validation_sorted.begin(), validation_sorted.end());
    std::vector<std::uint8_t> fit_labels;
    std::vector<std::uint8_t> validation_labels;
    for (const std::size_t i : fit_sorted) fit_labels.push_back(labels[i]);
    for (const std::size_t i : validation_sorted) validation_labels.push_back(labels[i]);

    L2Selection selection;
    selection.candidates = params.l2_candidates;
    selection.fit_samples = fit_sorted.size();
    selection.validation_samples = validation_sorted.size();
    double best = -1.0;
    for (const double l2 : params.l2_candidates) {
        LinearReadoutParams p = params;
        p.l2 = l2;
        LinearReadout readout;
        readout.fit(rates, fit_labels, classes, p, seed, fit_sorted);
        const double acc = accuracy(readout.predict(rates, validation_sorted), validation_labels);
        selection.validation_accuracy.push_back(acc);
        if (acc > best || (acc == best && l2 > selection.chosen)) {
            best = acc;
            selection.chosen = l2;
        }
    }
    return selection;
}

}  // namespace softspike
