#pragma once
#include <cstddef>
#include <functional>
#include <utility>

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
        run_until(until, 0, [](std::size_t) { return Event{}; }, std::forward<Handler>(handler));
    }
    // The same, merging in a stream of `count` events that never enter the queue: `stream(i)` is the i-th, the
    // stream is in Event order and, at equal (time, kind, source), goes before queued events. A sample's input
    // arrivals are such a stream (thousands per presentation, already sorted, so a heap push and pop for each
    // would be wasted: they were 9% of the LIF benchmark's profile).
    template <typename Stream, typename Handler>
    void run_until(tick_t until, std::size_t count, Stream&& stream, Handler&& handler) {
        std::size_t i = 0;
        Event next{};
        if (count > 0) next = stream(0);
        for (;;) {
            const bool from_stream = i < count && next.time <= until;
            const bool from_queue = !queue_.empty() && queue_.top().time <= until;
            if (from_stream && (!from_queue || !(queue_.top() < next))) {
                now_ = next.time;
                const Event event = next;
                if (++i < count) next = stream(i);
                handler(event);
            } else if (from_queue) {
                const Event event = queue_.pop();
                now_ = event.time;
                handler(event);
            } else {
                break;
            }
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
