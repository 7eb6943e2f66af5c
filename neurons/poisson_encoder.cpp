#include "neurons/poisson_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/time.hpp"

namespace softspike {

namespace {

// Walker's alias table over weights, built in O(n) (Vose 1991).
struct AliasTable {
    std::vector<double> probability;
    std::vector<std::uint32_t> alias;

    explicit AliasTable(std::span<const float> weights, double total) {
        const std::size_t n = weights.size();
        probability.resize(n);
        alias.resize(n);
        std::vector<std::uint32_t> small;
        std::vector<std::uint32_t> large;
        std::vector<double> scaled(n);
        for (std::size_t i = 0; i < n; ++i) {
            scaled[i] = static_cast<double>(weights[i]) * static_cast<double>(n) / total;
            (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
        }
        while (!small.empty() && !large.empty()) {
            const std::uint32_t s = small.back();
            small.pop_back();
            const std::uint32_t l = large.back();
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = (scaled[l] + scaled[s]) - 1.0;
            if (scaled[l] < 1.0) {
                large.pop_back();
                small.push_back(l);
            }
        }
        for (const std::uint32_t l : large) probability[l] = 1.0, alias[l] = l;
        for (const std::uint32_t s : small) probability[s] = 1.0, alias[s] = s;  // rounding leftovers
    }

    std::uint32_t draw(Rng& rng) const {
        const auto column = static_cast<std::uint32_t>(rng.below(probability.size()));
        return rng.uniform() < probability[column] ? column : alias[column];
    }
};

}  // namespace

EncodedSample encode_poisson(std::span<const float> pixels, const EncoderParams& params, Rng& rng) {
    EncodedSample sample;
    sample.warmup_correction = true;
    const auto [sum, sum_sq] = intensity_sums(pixels);
    if (sum <= 0.0) return sample;  // a blank image sends no spike
    const double norm = std::sqrt(sum_sq);
    const double total_rate_per_tick = params.max_rate_hz * sum / ticks_per_second;
    const double window = static_cast<double>(ms_to_ticks(params.presentation_ms));
    const auto amplitude = static_cast<float>(1.0 / (params.max_rate_hz * (params.trace_tau_ms / 1000.0) * norm));
    const AliasTable table(pixels, sum);
    sample.spikes.reserve(static_cast<std::size_t>(total_rate_per_tick * window * 1.2) + 16);
    double t = rng.exponential(total_rate_per_tick);
    while (t < window) {
        sample.spikes.push_back({static_cast<tick_t>(t), table.draw(rng), amplitude});
        t += rng.exponential(total_rate_per_tick);
    }
    // The train's order is (offset, source): spikes drawn into the same tick are put in source order (runs of
    // one tick are short, so this is linear in practice).
    auto& spikes = sample.spikes;
    for (auto run = spikes.begin(); run != spikes.end();) {
        auto run_end = run + 1;
        while (run_end != spikes.end() && run_end->offset == run->offset) ++run_end;
        if (run_end - run > 1) {
            std::sort(run, run_end, in_train_order);
        }
        run = run_end;
    }
    return sample;
}

}  // namespace softspike
