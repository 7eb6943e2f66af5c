#include "plasticity/stdp.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace softspike {

Stdp::Stdp(const StdpParams& params) : params_(params) {}

void Stdp::ensure_size(std::size_t neurons) {
    if (scaled_.size() != neurons) scaled_.assign(neurons, 0.0F);
}

float Stdp::decay_since_origin(tick_t t) {
    const double elapsed = ticks_to_ms(t - origin_) / params_.tau_post_ms;
    if (elapsed > 20.0) {
        // Rebase before exp(elapsed) nears float's range: fold the decay into the stored values.
        const auto factor = static_cast<float>(std::exp(-elapsed));
        for (float& v : scaled_) v *= factor;
        origin_ = t;
        return 1.0F;
    }
    return static_cast<float>(std::exp(-elapsed));
}

PreRowUpdate Stdp::pre_row_update(tick_t t, std::size_t targets) {
    ensure_size(targets);
    const float eta =
        static_cast<float>(params_.depression * params_.learning_rate) * rate_scale_ * decay_since_origin(t);
    return {scaled_.data(), eta, static_cast<float>(params_.weight_min), static_cast<float>(params_.weight_max)};
}

void Stdp::on_pre(std::uint32_t source, tick_t t, Projection& weights, EventCounters& counters) {
    const PreRowUpdate update = pre_row_update(t, weights.targets());
    std::span<float> row = weights.row(source);
    update_row(row.data(), row.size(), update);
    counters.plasticity_updates += row.size();
}

void Stdp::on_post(const PostSpike& post, std::span<const float> pre, Projection& weights, EventCounters& counters) {
    ensure_size(weights.targets());
    const std::size_t n = weights.targets();
    const std::size_t d = weights.sources();
    const auto low = static_cast<float>(params_.weight_min);
    const auto high = static_cast<float>(params_.weight_max);
    const auto eta = static_cast<float>(params_.learning_rate) * rate_scale_ * static_cast<float>(post.count);
    float* w = weights.weights().data() + post.neuron;
    for (std::size_t i = 0; i < d; ++i) w[i * n] = std::clamp(w[i * n] + eta * pre[i], low, high);
    counters.plasticity_updates += d;
    // The trace jumps by `count` at t: in scaled form, by count * exp((t - origin) / tau).
    const float decay = decay_since_origin(post.time);
    scaled_[post.neuron] += static_cast<float>(post.count) / decay;
    ++counters.trace_updates;
}

std::vector<double> Stdp::state() const {
    std::vector<double> s(scaled_.begin(), scaled_.end());
    s.push_back(static_cast<double>(origin_));
    return s;
}

void Stdp::restore(std::vector<double> state) {
    if (state.empty()) {
        scaled_.clear();
        origin_ = 0;
        return;
    }
    origin_ = static_cast<tick_t>(state.back());
    state.pop_back();
    scaled_.assign(state.begin(), state.end());
}

}  // namespace softspike
