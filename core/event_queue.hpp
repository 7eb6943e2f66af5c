#pragma once
#include <cstddef>
#include <vector>

#include "core/event.hpp"

namespace softspike {

// Time-ordered event queue with a total, deterministic order: (time, kind, source, insertion sequence).
//
// Why a binary heap: within one sample presentation the queue holds only what is in flight (the next input
// spike, the spikes inside one synaptic delay, the next population spike), a few to a few dozen events,
// because input spikes are generated lazily, each scheduling the next, rather than all pushed up front.
// bench/queue_bench measured 2.1e7 push+pop pairs/s with 8 pending events and 1.2e7 with 4096
// (2-core Xeon, see README). A default image costs about 5,000 queue operations (2 per input spike, 1 per
// output spike), about 0.25 ms, against 860,000 synaptic events in the same image. A bucket or calendar
// queue has not been measured against it yet; that belongs to the speed work (issue 5).
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
