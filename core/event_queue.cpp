#include "core/event_queue.hpp"

#include <stdexcept>
#include <utility>

namespace softspike {

void EventQueue::push(Event event) {
    event.sequence = next_sequence_++;
    heap_.push_back(event);
    // Sift up: the parent of i is (i - 1) / 2.
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!(heap_[i] < heap_[parent])) break;
        std::swap(heap_[i], heap_[parent]);
        i = parent;
    }
}

Event EventQueue::pop() {
    if (heap_.empty()) throw std::logic_error("EventQueue::pop on an empty queue");
    Event result = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
        const std::size_t left = 2 * i + 1;
        if (left >= n) break;
        std::size_t smallest = left;
        if (left + 1 < n && heap_[left + 1] < heap_[left]) smallest = left + 1;
        if (!(heap_[smallest] < heap_[i])) break;
        std::swap(heap_[i], heap_[smallest]);
        i = smallest;
    }
    return result;
}

}  // namespace softspike
