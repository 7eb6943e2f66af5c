#include "core/scheduler.hpp"

#include <stdexcept>
#include <string>

namespace softspike {

void Scheduler::schedule(const Event& event) {
    if (event.time < now_) {
        throw std::logic_error("Scheduler::schedule: event at t=" + std::to_string(event.time) +
                               " us is in the past (now " + std::to_string(now_) + " us)");
    }
    queue_.push(event);
}

}  // namespace softspike
