#pragma once
#include <cstdint>
#include <tuple>

#include "core/time.hpp"

namespace softspike {

// The kinds of event the scheduler carries. The numeric order is the tie-break order at equal times:
// spikes are delivered before the population samples its next output spike, so an output spike at time t
// sees every input that arrived at t.
enum class EventKind : std::uint8_t {
    synaptic_arrival = 0,  // an input spike reaches the population through every synapse of its row
    inhibition = 1,        // a lateral inhibitory spike reaches the other neurons of the population
    population_spike = 2,  // the stochastic soft-WTA population emits its next spike
};

// One scheduled event: a small value type compared by (time, kind, source, sequence).
struct Event {
    tick_t time = 0;
    EventKind kind = EventKind::synaptic_arrival;
    std::uint32_t source = 0;    // input index or neuron index, depending on kind
    float amplitude = 1.0F;      // value a graded spike carries (latency code), 1 for a plain spike
    std::uint64_t sequence = 0;  // insertion order, filled in by the queue: the last tie-breaker

    friend bool operator<(const Event& a, const Event& b) {
        return std::tie(a.time, a.kind, a.source, a.sequence) < std::tie(b.time, b.kind, b.source, b.sequence);
    }
    friend bool operator==(const Event& a, const Event& b) = default;
};

}  // namespace softspike
