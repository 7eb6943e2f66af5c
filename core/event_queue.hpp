#pragma once
#include <cstddef>
#include <vector>

#include "core/event.hpp"

namespace softspike {

// Time-ordered event queue with a total, deterministic order: (time, kind, source, insertion sequence).
//
// Why a binary heap: within one sample presentation the queue holds only what is in flight (the next
// generator wake-up, spikes inside one synaptic delay, the next population spike), a few to a few dozen
// events, because input spikes are generated lazily rather than all pushed up front. At that size a heap
// is a handful of compares per operation; bench/queue_bench measured it at the numbers quoted in the README
// (push+pop pairs per second for 8 to 4096 pending events) against a calendar queue, which only wins when
// thousands of events are pending.
class EventQueue {
public:
    void push(Event event);
    [[nodiscard]] Event pop();
    [[nodiscard]] const Event& top() const { return heap_.front(); }
    [[nodiscard]] bool empty() const { return heap_.empty(); }
    [[nodiscard]] std::size_t size() const { return heap_.size(); }
    void clear() { heap_.clear(); }

private:
    std::vector<Event> heap_;  // min-heap on operator<
    std::uint64_t next_sequence_ = 0;
};

}  // namespace softspike
