#include "plasticity/stdp.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace softspike {

Stdp::Stdp(const StdpParams& params) : params_(params) {}

void Stdp::ensure_size(std::size_t neurons) {
    if (trace_.size() != neurons) {
        trace_.assign(neurons, 0.0F);
        last_.assign(neurons, 0);
    }
}

float Stdp::post_trace(std::uint32_t neuron, tick_t t) const {
    if (trace_[neuron] == 0.0F) return 0.0F;
    const double dt_ms = ticks_to_ms(t - last_[neuron]);
    return static_cast<float>(trace_[neuron] * std::exp(-dt_ms / params_.tau_post_ms));
}

void Stdp::on_pre(std::uint32_t source, tick_t t, Projection& weights, EventCounters& counters) {
    ensure_size(weights.targets());
    const auto low = static_cast<float>(params_.weight_min);
    const auto high = static_cast<float>(params_.weight_max);
    const auto eta = static_cast<float>(params_.depression * params_.learning_rate);
    std::span<float> row = weights.row(source);
    for (std::uint32_t k = 0; k < row.size(); ++k) {
        row[k] = std::clamp(row[k] - eta * post_trace(k, t), low, high);
    }
    counters.plasticity_updates += row.size();
}

void Stdp::on_post(const PostSpike& post, std::span<const float> pre, Projection& weights, EventCounters& counters) {
    ensure_size(weights.targets());
    const std::size_t n = weights.targets();
    const std::size_t d = weights.sources();
    const auto low = static_cast<float>(params_.weight_min);
    const auto high = static_cast<float>(params_.weight_max);
    const auto eta = static_cast<float>(params_.learning_rate) * static_cast<float>(post.count);
    float* w = weights.weights().data() + post.neuron;
    for (std::size_t i = 0; i < d; ++i) w[i * n] = std::clamp(w[i * n] + eta * pre[i], low, high);
    counters.plasticity_updates += d;
    trace_[post.neuron] = post_trace(post.neuron, post.time) + static_cast<float>(post.count);
    last_[post.neuron] = post.time;
    ++counters.trace_updates;
}

std::vector<double> Stdp::state() const {
    std::vector<double> s;
    s.reserve(2 * trace_.size());
    for (std::size_t k = 0; k < trace_.size(); ++k) {
        s.push_back(trace_[k]);
        s.push_back(static_cast<double>(last_[k]));
    }
    return s;
}

void Stdp::restore(std::vector<double> state) {
    if (state.size() % 2 != 0) throw std::invalid_argument("STDP state: expected pairs of (trace, time)");
    trace_.resize(state.size() / 2);
    last_.resize(state.size() / 2);
    for (std::size_t k = 0; k < trace_.size(); ++k) {
        trace_[k] = static_cast<float>(state[2 * k]);
        last_[k] = static_cast<tick_t>(state[2 * k + 1]);
    }
}

}  // namespace softspike
