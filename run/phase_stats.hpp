#pragma once
#include <cstddef>

#include "chip/hardware_figures.hpp"
#include "core/counters.hpp"

namespace softspike {

// What one phase (training, or a frozen pass over a data set) did and how long it took.
struct PhaseStats {
    EventCounters counters;
    std::size_t images = 0;
    double seconds = 0.0;
    HardwareFigures hardware;  // the counts in hardware terms, for the weights as the chip held them
};

}  // namespace softspike
