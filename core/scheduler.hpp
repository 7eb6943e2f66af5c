#pragma once
#include <functional>

#include "core/event_queue.hpp"
#include "core/time.hpp"

namespace softspike {

// Owns simulated time and the event queue. Events are handed to a handler in queue order; the handler may
// schedule more events, but never in the past.
class Scheduler {
public:
    [[nodiscard]] tick_t now() const { return now_; }
    void schedule(const Event& event);
    // Delivers every event with time <= until, in order, then sets now() to `until`.
    template <typename Handler>
    void run_until(tick_t until, Handler&& handler) {
        while (!queue_.empty() && queue_.top().time <= until) {
            const Event event = queue_.pop();
            now_ = event.time;
            handler(event);
        }
        if (until > now_) now_ = until;
    }
    // Drops pending events and moves the clock (used between sample presentations, which are independent).
    void reset(tick_t now) {
        queue_.clear();
        now_ = now;
    }
    [[nodiscard]] std::size_t pending() const { return queue_.size(); }

private:
    EventQueue queue_;
    tick_t now_ = 0;
};

}  // namespace softspike
