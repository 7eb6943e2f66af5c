#pragma once
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <numeric>
#include <utility>
#include <vector>

#include "core/progress.hpp"

namespace softspike {

// A frozen pass over n images in fixed blocks of `block`, in parallel: body(worker, indices, first) for each
// block, `indices` its image numbers first..first+rows-1, `worker` the calling thread's own, made by `make`.
// The blocks depend on n only, never on the thread count, so each block's numbers are the same however many
// threads run. Returns the workers, for the caller to sum their counters.
template <typename Make, typename Body>
auto for_each_image_block(std::size_t n, std::size_t block, Progress& progress, Make make, Body body) {
    struct Slot {
        decltype(make()) worker;
        std::vector<std::size_t> indices;
    };
    tbb::enumerable_thread_specific<Slot> slots([&] { return Slot{make(), {}}; });
    std::atomic<std::size_t> done{0};
    const std::size_t blocks = (n + block - 1) / block;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        Slot& slot = slots.local();
        for (std::size_t b = r.begin(); b != r.end(); ++b) {
            const std::size_t first = b * block;
            const std::size_t rows = std::min(block, n - first);
            slot.indices.resize(rows);
            std::iota(slot.indices.begin(), slot.indices.end(), first);
            body(slot.worker, slot.indices, first);
            progress.update(done.fetch_add(rows) + rows);
        }
    });
    progress.finish(n);
    std::vector<decltype(make())> workers;
    for (Slot& slot : slots) workers.push_back(std::move(slot.worker));
    return workers;
}

}  // namespace softspike
