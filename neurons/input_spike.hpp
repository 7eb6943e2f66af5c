#pragma once
#include <cstdint>
#include <vector>

#include "core/time.hpp"

namespace softspike {

// One spike of an input neuron, relative to the onset of the sample's presentation window.
struct InputSpike {
    tick_t offset = 0;  // ticks after the window's onset
    std::uint32_t source = 0;
    float amplitude = 1.0F;  // what the spike adds to its presynaptic trace
    friend bool operator==(const InputSpike&, const InputSpike&) = default;
};

// The order of a spike train, (offset, source): the order in which the network delivers equal-time arrivals.
inline bool in_train_order(const InputSpike& a, const InputSpike& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.source < b.source;
}

// A sample turned into spikes: the time-sorted train and how to read a presynaptic trace as an estimate of
// the normalised input x_i (docs/model.md §3).
struct EncodedSample {
    std::vector<InputSpike> spikes;  // sorted by (offset, source)
    // True for rate codes, where the trace's expectation grows as (1 - exp(-t/tau)) from the onset and is
    // divided by that factor to be unbiased from the first spike on (the same correction as Adam's moments).
    bool warmup_correction = true;
    // True when spikes carry graded amplitudes (latency code): a synaptic event is then a multiply-accumulate.
    // Otherwise every spike of the sample has the same amplitude, a constant a chip folds into its trace
    // scale, and a synaptic event is an accumulate.
    bool graded = false;
};

}  // namespace softspike
