// Measures the event queue: push+pop pairs per second while holding a steady number of pending events,
// the pattern of a simulation in flight. Used to justify the choice of queue in core/event_queue.hpp.
#include <chrono>
#include <cstdio>

#include "core/event_queue.hpp"
#include "core/random.hpp"

int main() {
    using namespace softspike;
    std::printf("pending  push+pop/s\n");
    for (const std::size_t pending : {8UL, 64UL, 512UL, 4096UL}) {
        EventQueue queue;
        Rng rng(42);
        for (std::size_t i = 0; i < pending; ++i) {
            queue.push(
                {static_cast<tick_t>(rng.below(1000)), EventKind::synaptic_arrival, static_cast<std::uint32_t>(i)});
        }
        const std::size_t operations = 20'000'000;
        const auto start = std::chrono::steady_clock::now();
        std::uint64_t checksum = 0;
        for (std::size_t i = 0; i < operations; ++i) {
            const Event e = queue.pop();
            checksum += e.source;
            queue.push({e.time + 1 + static_cast<tick_t>(rng.below(1000)), e.kind, e.source});
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%7zu  %.3g   (checksum %llu)\n", pending, static_cast<double>(operations) / seconds,
                    static_cast<unsigned long long>(checksum));
    }
}
