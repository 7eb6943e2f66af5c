#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "core/event_queue.hpp"
#include "core/random.hpp"
#include "core/scheduler.hpp"

using namespace softspike;

TEST_CASE("the event queue pops events in time order") {
    EventQueue queue;
    Rng rng(7);
    std::vector<tick_t> times;
    for (int i = 0; i < 1000; ++i) {
        const auto t = static_cast<tick_t>(rng.below(100000));
        times.push_back(t);
        queue.push({t, EventKind::synaptic_arrival, static_cast<std::uint32_t>(i)});
    }
    std::sort(times.begin(), times.end());
    for (const tick_t t : times) CHECK(queue.pop().time == t);
    CHECK(queue.empty());
}

TEST_CASE("ties at equal time break by kind, then source, then insertion order") {
    EventQueue queue;
    queue.push({5, EventKind::population_spike, 0});
    queue.push({5, EventKind::synaptic_arrival, 9});
    queue.push({5, EventKind::synaptic_arrival, 2, 0.5F});
    queue.push({5, EventKind::synaptic_arrival, 2, 0.25F});
    queue.push({4, EventKind::population_spike, 100});
    queue.push({5, EventKind::inhibition, 1});
    CHECK(queue.pop().source == 100);
    Event e = queue.pop();
    CHECK((e.kind == EventKind::synaptic_arrival && e.source == 2 && e.amplitude == 0.5F));
    e = queue.pop();
    CHECK((e.kind == EventKind::synaptic_arrival && e.source == 2 && e.amplitude == 0.25F));
    CHECK(queue.pop().source == 9);
    CHECK(queue.pop().kind == EventKind::inhibition);
    CHECK(queue.pop().kind == EventKind::population_spike);
}

TEST_CASE("run_until delivers exactly the events up to its time, including ones scheduled on the way") {
    Scheduler scheduler;
    scheduler.schedule({10, EventKind::synaptic_arrival, 1});
    scheduler.schedule({30, EventKind::synaptic_arrival, 3});
    std::vector<std::uint32_t> seen;
    scheduler.run_until(20, [&](const Event& e) {
        seen.push_back(e.source);
        if (e.source == 1) scheduler.schedule({15, EventKind::synaptic_arrival, 2});
    });
    CHECK(seen == std::vector<std::uint32_t>{1, 2});
    CHECK(scheduler.now() == 20);
    CHECK(scheduler.pending() == 1);
    CHECK_THROWS_AS(scheduler.schedule({19, EventKind::synaptic_arrival, 4}), std::logic_error);
    scheduler.run_until(30, [&](const Event& e) { seen.push_back(e.source); });
    CHECK(seen.back() == 3);
}

TEST_CASE("time is 64-bit: a run far past 2^31 microseconds keeps ordering") {
    Scheduler scheduler;
    const tick_t late = tick_t{1} << 40;  // about 12.7 days of simulated time
    scheduler.schedule({late + 2, EventKind::synaptic_arrival, 2});
    scheduler.schedule({late + 1, EventKind::synaptic_arrival, 1});
    std::vector<tick_t> times;
    scheduler.run_until(late + 10, [&](const Event& e) { times.push_back(e.time); });
    CHECK(times == std::vector<tick_t>{late + 1, late + 2});
}

TEST_CASE("run_until with a stream merges it with the queue in event order, the stream first on full ties") {
    Scheduler s;
    s.schedule({5, EventKind::inhibition, 0U});
    s.schedule({3, EventKind::population_spike, 0U});
    s.schedule({7, EventKind::synaptic_arrival, 1U});  // the same (time, kind, source) as a stream event
    const std::vector<Event> stream{{3, EventKind::synaptic_arrival, 4U},
                                    {5, EventKind::synaptic_arrival, 9U},
                                    {7, EventKind::synaptic_arrival, 1U, 0.5F},
                                    {9, EventKind::synaptic_arrival, 2U}};
    std::vector<std::pair<tick_t, EventKind>> seen;
    std::vector<float> amplitudes_at_7;
    s.run_until(
        8, stream.size(), [&](std::size_t i) { return stream[i]; },
        [&](const Event& e) {
            seen.emplace_back(e.time, e.kind);
            if (e.time == 7) amplitudes_at_7.push_back(e.amplitude);
            if (e.time == 5 && e.kind == EventKind::inhibition) s.schedule({6, EventKind::population_spike, 0U});
        });
    const std::vector<std::pair<tick_t, EventKind>> expected{
        {3, EventKind::synaptic_arrival}, {3, EventKind::population_spike}, {5, EventKind::synaptic_arrival},
        {5, EventKind::inhibition},       {6, EventKind::population_spike}, {7, EventKind::synaptic_arrival},
        {7, EventKind::synaptic_arrival}};
    CHECK(seen == expected);
    CHECK(amplitudes_at_7 == std::vector<float>{0.5F, 1.0F});  // the stream's event before the queued one
    CHECK(s.now() == 8);                                       // the stream's event at 9 is left undelivered
}
