#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace softspike {

// Where progress goes instead of stderr (the Python module's callback): the phase, items done of total, the
// running accuracy (negative: none) and whether this is the phase's last call. Called at most every 5 s per
// phase and once at its end, from whichever thread reports, one call at a time.
using ProgressSink =
    std::function<void(const std::string& phase, std::size_t done, std::size_t total, double running_accuracy, bool final)>;

// A progress line on stderr for long phases: items done, items/s, an optional running accuracy, ETA.
// Rewritten in place on a terminal; elsewhere (logs, CI) one line every few seconds. Thread-safe: any
// worker may call update(); calls that come too soon after the last line are dropped cheaply.
class Progress {
public:
    // `already_done`: items done before this session (a resumed run); rate and ETA count only the rest.
    Progress(std::string phase, std::size_t total, bool enabled = true, std::size_t already_done = 0,
             ProgressSink sink = {});
    void update(std::size_t done, double running_accuracy = -1.0);
    // Prints the final line for the phase (always, when enabled).
    void finish(std::size_t done, double running_accuracy = -1.0);

private:
    void print(std::size_t done, double running_accuracy, bool final);

    std::string phase_;
    ProgressSink sink_;
    std::size_t total_;
    std::size_t already_done_;
    bool enabled_;
    bool terminal_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
    std::mutex mutex_;
};

}  // namespace softspike
