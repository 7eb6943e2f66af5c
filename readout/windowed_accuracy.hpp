#pragma once
#include <cstdint>
#include <deque>
#include <vector>

namespace softspike {

// The fraction of hits among the last `window` outcomes, for the running accuracy of a training pass.
class WindowedAccuracy {
public:
    explicit WindowedAccuracy(std::size_t window) : window_(window) {}

    void add(bool hit) {
        hits_.push_back(hit ? 1 : 0);
        correct_ += hit ? 1 : 0;
        if (hits_.size() > window_) {
            correct_ -= hits_.front();
            hits_.pop_front();
        }
    }
    // -1 before the first outcome.
    [[nodiscard]] double value() const {
        return hits_.empty() ? -1.0 : static_cast<double>(correct_) / static_cast<double>(hits_.size());
    }
    // The outcomes in the window, oldest first (for checkpoints), and the way back.
    [[nodiscard]] std::vector<std::uint8_t> outcomes() const { return {hits_.begin(), hits_.end()}; }
    void restore(const std::vector<std::uint8_t>& outcomes) {
        hits_.clear();
        correct_ = 0;
        for (const std::uint8_t hit : outcomes) add(hit != 0);
    }

private:
    std::size_t window_;
    std::deque<std::uint8_t> hits_;
    std::size_t correct_ = 0;
};

}  // namespace softspike
