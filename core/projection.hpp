#pragma once
#include <cstddef>
#include <span>
#include <vector>

#include "core/time.hpp"

namespace softspike {

// All-to-all synapses from a source population onto a target population, with one delay.
// Weights are stored source-major (row = source, contiguous over targets) because the hot loop is the
// delivery of one source spike to every target: one contiguous row added into the membranes.
class Projection {
public:
    Projection() = default;  // empty: no sources, no targets
    Projection(std::size_t sources, std::size_t targets, tick_t delay)
        : sources_(sources), targets_(targets), delay_(delay), weights_(sources * targets, 0.0F) {}

    [[nodiscard]] std::size_t sources() const { return sources_; }
    [[nodiscard]] std::size_t targets() const { return targets_; }
    [[nodiscard]] tick_t delay() const { return delay_; }

    [[nodiscard]] std::span<float> row(std::size_t source) { return {weights_.data() + source * targets_, targets_}; }
    [[nodiscard]] std::span<const float> row(std::size_t source) const {
        return {weights_.data() + source * targets_, targets_};
    }
    [[nodiscard]] float& at(std::size_t source, std::size_t target) { return weights_[source * targets_ + target]; }
    [[nodiscard]] float at(std::size_t source, std::size_t target) const {
        return weights_[source * targets_ + target];
    }

    [[nodiscard]] std::vector<float>& weights() { return weights_; }
    [[nodiscard]] const std::vector<float>& weights() const { return weights_; }

private:
    std::size_t sources_ = 0;
    std::size_t targets_ = 0;
    tick_t delay_ = 0;
    std::vector<float> weights_;
};

}  // namespace softspike
