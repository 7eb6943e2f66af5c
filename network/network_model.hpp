#pragma once
#include <cstdint>
#include <vector>

#include "core/projection.hpp"

namespace softspike {

// The learned parameters of a network: what a checkpoint holds and what training changes.
struct NetworkModel {
    Projection weights;         // input -> soft-WTA population, source-major
    std::vector<float> biases;  // one per neuron (homeostasis / log-priors)
};

// Gaussian random weight vectors, each neuron's scaled to `initial_norm` (docs/model.md §6: a large initial norm
// keeps untrained neurons competitive, so fewer end up dead). Biases start at zero.
NetworkModel make_initial_model(std::size_t inputs, std::size_t neurons, tick_t delay, double initial_norm,
                                std::uint64_t seed);

}  // namespace softspike
