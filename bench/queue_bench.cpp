// Compares event queues on the pattern of a simulation in flight ("hold" model: pop the earliest event,
// push one a random increment later), with a steady number of pending events. Used to justify the
// choice of queue in core/event_queue.hpp. The increments are exponential with the mean gap between
// events of the default config (about 2,150 input spikes and 600 output spikes in a 41 ms window: one
// event every ~10 us, each spike scheduling an arrival 1 ms later).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random.hpp"

namespace {

using namespace softspike;

// A calendar queue (Brown 1988) with one bucket per tick over a ring of 2^16 ticks: O(1) push, pop scans
// forward to the next non-empty bucket and takes the smallest event there (the same total order as
// EventQueue). Events beyond the ring's horizon are not supported; the benchmark never makes any.
class CalendarQueue {
public:
    void push(Event e) {
        e.sequence = next_sequence_++;
        buckets_[static_cast<std::size_t>(e.time) & mask].push_back(e);
        ++size_;
    }
    Event pop() {
        for (;; ++cursor_) {
            auto& bucket = buckets_[static_cast<std::size_t>(cursor_) & mask];
            if (bucket.empty()) continue;
            auto it = std::min_element(bucket.begin(), bucket.end());
            if (it->time != cursor_) continue;  // a later lap of the ring
            const Event e = *it;
            *it = bucket.back();
            bucket.pop_back();
            --size_;
            return e;
        }
    }
    [[nodiscard]] std::size_t size() const { return size_; }

private:
    static constexpr std::size_t mask = (1U << 16U) - 1;
    std::vector<std::vector<Event>> buckets_ = std::vector<std::vector<Event>>(mask + 1);
    tick_t cursor_ = 0;
    std::size_t size_ = 0;
    std::uint64_t next_sequence_ = 0;
};

template <typename Queue>
double hold_rate(std::size_t pending, double mean_increment, std::size_t operations, std::uint64_t& checksum) {
    Queue queue;
    Rng rng(42);
    for (std::size_t i = 0; i < pending; ++i) {
        queue.push({static_cast<tick_t>(rng.exponential(1.0 / mean_increment)), EventKind::synaptic_arrival,
                    static_cast<std::uint32_t>(i)});
    }
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < operations; ++i) {
        const Event e = queue.pop();
        checksum += e.source + static_cast<std::uint64_t>(e.time);
        queue.push({e.time + 1 + static_cast<tick_t>(rng.exponential(1.0 / mean_increment)), e.kind, e.source});
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(operations) / seconds;
}

}  // namespace

int main() {
    const std::size_t operations = 10'000'000;
    std::printf("hold model, %zu pop+push pairs per cell; pairs per second\n", operations);
    std::printf("%8s %10s %14s %14s\n", "pending", "mean gap", "binary heap", "calendar");
    for (const std::size_t pending : {4UL, 16UL, 128UL, 1024UL, 4096UL}) {
        // Mean increment so that `pending` events span about one synaptic delay, as in a presentation.
        const double mean_increment = std::max(1.0, 1000.0 / static_cast<double>(pending) * 4.0);
        std::uint64_t a = 0;
        std::uint64_t b = 0;
        const double heap = hold_rate<EventQueue>(pending, mean_increment, operations, a);
        const double calendar = hold_rate<CalendarQueue>(pending, mean_increment, operations, b);
        std::printf("%8zu %8.0fus %14.3g %14.3g%s\n", pending, mean_increment, heap, calendar,
                    a == b ? "" : "  (orders differ!)");
    }
}
