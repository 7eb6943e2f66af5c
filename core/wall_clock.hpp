#pragma once
#include <chrono>

namespace softspike {

// Wall-clock seconds elapsed since `start` (steady clock): the timings reports give, never simulation time.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace softspike
