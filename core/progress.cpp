#include "core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace softspike {

Progress::Progress(std::string phase, std::size_t total, bool enabled, std::size_t already_done, ProgressSink sink)
    : phase_(std::move(phase)),
      sink_(std::move(sink)),
      total_(total),
      already_done_(already_done),
      enabled_(enabled || static_cast<bool>(sink_)),
      terminal_(!sink_ && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(std::size_t done, double running_accuracy) {
    if (!enabled_) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    const auto now = std::chrono::steady_clock::now();
    const auto interval = terminal_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000);
    if (now - last_ < interval) return;
    last_ = now;
    print(done, running_accuracy, false);
}

void Progress::finish(std::size_t done, double running_accuracy) {
    if (!enabled_) return;
    const std::lock_guard lock(mutex_);
    print(done, running_accuracy, true);
}

void Progress::print(std::size_t done, double running_accuracy, bool final) {
    if (sink_) {
        sink_(phase_, done, total_, running_accuracy, final);
        return;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::size_t this_session = done >= already_done_ ? done - already_done_ : 0;
    const double rate = elapsed > 0.0 ? static_cast<double>(this_session) / elapsed : 0.0;
    char line[256];
    int n = std::snprintf(line, sizeof line, "[%s] %zu/%zu images  %.0f img/s", phase_.c_str(), done, total_, rate);
    if (running_accuracy >= 0.0 && n > 0) {
        n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "  running acc %.1f%%",
                           100.0 * running_accuracy);
    }
    if (n > 0) {
        if (final) {
            std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "  done in %.1fs", elapsed);
        } else {
            const double eta = rate > 0.0 ? static_cast<double>(total_ - done) / rate : 0.0;
            std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), "  ETA %.0fs", eta);
        }
    }
    std::fprintf(stderr, terminal_ ? "\r%-100s%s" : "%s%s\n", line, terminal_ && final ? "\n" : "");
    std::fflush(stderr);
}

}  // namespace softspike
