#include "readout/online_linear_readout.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace softspike {

OnlineLinearReadout::OnlineLinearReadout(std::size_t neurons, std::size_t classes, double learning_rate)
    : neurons_(neurons),
      classes_(classes),
      learning_rate_(learning_rate),
      weights_(neurons * classes, 0.0),
      biases_(classes, 0.0),
      features_(neurons, 0.0),
      logits_(classes, 0.0) {}

bool OnlineLinearReadout::observe(std::span<const std::uint32_t> spikes, std::size_t label) {
    std::uint64_t total = 0;
    for (const std::uint32_t s : spikes) total += s;
    const double scale = total > 0 ? static_cast<double>(neurons_) / static_cast<double>(total) : 0.0;
    for (std::size_t k = 0; k < neurons_; ++k) features_[k] = spikes[k] * scale;
    for (std::size_t c = 0; c < classes_; ++c) {
        const double* w = weights_.data() + c * neurons_;
        double z = biases_[c];
        for (std::size_t k = 0; k < neurons_; ++k) z += w[k] * features_[k];
        logits_[c] = z;
    }
    // Before any learning every logit is 0; the guess is then class 0, right one time in `classes`.
    const auto guess = static_cast<std::size_t>(std::max_element(logits_.begin(), logits_.end()) - logits_.begin());
    const double top = logits_[guess];
    double sum = 0.0;
    for (double& z : logits_) sum += (z = std::exp(z - top));
    for (std::size_t c = 0; c < classes_; ++c) {
        const double error = (c == label ? 1.0 : 0.0) - logits_[c] / sum;  // -d(cross-entropy)/dz_c
        const double step = learning_rate_ * error;
        double* w = weights_.data() + c * neurons_;
        for (std::size_t k = 0; k < neurons_; ++k) w[k] += step * features_[k];
        biases_[c] += step;
    }
    return guess == label;
}

void OnlineLinearReadout::restore(State state) {
    if (state.weights.size() != weights_.size() || state.biases.size() != biases_.size()) {
        throw std::invalid_argument("OnlineLinearReadout::restore: state of another shape");
    }
    weights_ = std::move(state.weights);
    biases_ = std::move(state.biases);
}

}  // namespace softspike
