#pragma once
#include <cstdint>

namespace softspike {

// Exact counts of the operations the simulator performed, for hardware estimates. Each field is
// incremented where the operation happens, by the number of times it happens.
struct EventCounters {
    std::uint64_t input_spikes = 0;        // spikes emitted by input neurons
    std::uint64_t output_spikes = 0;       // spikes emitted by the soft-WTA population
    std::uint64_t synaptic_events = 0;     // a spike delivered through one synapse: one weight read + accumulate
    // The synaptic events whose weight was nonzero (NeuroBench's effective operations): accumulates for
    // unit spikes (Poisson code), multiply-accumulates for graded spikes (latency code).
    std::uint64_t effective_acs = 0;
    std::uint64_t effective_macs = 0;
    std::uint64_t membrane_updates = 0;    // writes of a neuron's membrane (or inhibition) state
    std::uint64_t plasticity_updates = 0;  // synapse read-modify-writes by a plasticity rule
    std::uint64_t trace_updates = 0;       // writes of a presynaptic trace
    std::uint64_t bias_updates = 0;        // homeostatic writes of a neuron's bias

    EventCounters& operator+=(const EventCounters& o) {
        input_spikes += o.input_spikes;
        output_spikes += o.output_spikes;
        synaptic_events += o.synaptic_events;
        effective_acs += o.effective_acs;
        effective_macs += o.effective_macs;
        membrane_updates += o.membrane_updates;
        plasticity_updates += o.plasticity_updates;
        trace_updates += o.trace_updates;
        bias_updates += o.bias_updates;
        return *this;
    }
    friend bool operator==(const EventCounters&, const EventCounters&) = default;
};

}  // namespace softspike
