#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace softspike {

// A neuromorphic chip as the core mapping sees it (configs/chips/*.json): how many cores it has and what one
// core holds. Every limit is per core; the mapping never splits one neuron over cores.
struct ChipDescription {
    std::string name;
    std::string description;
    std::string source;                       // where the figures come from
    std::map<std::string, std::string> notes;  // per-key sources and caveats, as the file gives them
    std::uint64_t cores = 1;                      // cores on one chip
    std::uint64_t neurons_per_core = 1;           // neurons (compartments) a core updates
    std::uint64_t axons_per_core = 1;             // distinct inputs (fan-in axons) a core receives
    std::uint64_t synapses_per_core = 1;          // synapses a core stores
    std::uint64_t synaptic_memory_bytes_per_core = 1;  // weight memory of a core
    double packet_pj = 0.0;  // energy of one spike packet delivered to a core (0: not published separately)
    double step_ms = 1.0;    // the chip's time step
};

}  // namespace softspike
