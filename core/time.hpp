#pragma once
#include <cstdint>

namespace softspike {

// Simulation time in integer ticks of 1 microsecond: 64 bits so that runs of months never wrap.
using tick_t = std::int64_t;

inline constexpr tick_t ticks_per_ms = 1000;
inline constexpr double ticks_per_second = 1e6;

inline constexpr tick_t ms_to_ticks(double ms) {
    return static_cast<tick_t>(ms * static_cast<double>(ticks_per_ms) + 0.5);
}
inline constexpr double ticks_to_ms(tick_t t) { return static_cast<double>(t) / static_cast<double>(ticks_per_ms); }

}  // namespace softspike
