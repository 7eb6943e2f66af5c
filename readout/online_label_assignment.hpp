#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace softspike {

// Prequential accuracy of an on-line label assignment, for the running accuracy of a training pass:
// per-neuron class spike counts, slowly forgotten so that they follow the learning network; each image is
// classified with the assignments learned from the images before it, then counted.
class OnlineLabelAssignment {
public:
    OnlineLabelAssignment(std::size_t neurons, std::size_t classes);
    // Returns whether the image was classified correctly, then learns from it.
    bool observe(std::span<const std::uint32_t> spikes, std::size_t label);

    // What a training checkpoint keeps, so that a resumed run reports the same running accuracy.
    struct State {
        std::vector<double> counts;
        std::vector<std::int16_t> assignment;
        std::uint64_t seen = 0;
    };
    [[nodiscard]] State state() const { return {counts_, assignment_, seen_}; }
    // Throws std::invalid_argument if `state` is for another number of neurons or classes.
    void restore(State state);

private:
    std::size_t classes_;
    std::vector<double> counts_;            // neurons x classes
    std::vector<std::int16_t> assignment_;  // -1: not yet assigned
    std::size_t seen_ = 0;
};

}  // namespace softspike
