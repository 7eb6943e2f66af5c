#include "core/synaptic_row.hpp"

#include <algorithm>

namespace softspike {

namespace {

// The LIF threshold test of one target (RowThreshold), the one expression the pass, the group test and the
// listing all use, so they cannot disagree.
[[gnu::always_inline]] inline bool passes(float drive, float inhibition, float bias, float threshold, float scale) {
    return drive - inhibition + (bias - threshold) * scale >= 0.0F;
}

// One body for the four variants; the flags are compile-time so each variant is a straight vector loop.
// The threshold test is OR-ed into a flag (no branch, no push_back in the loop, so it vectorises; the profile of
// the LIF benchmark had 52% of its time in the scalar test loop this replaced); the caller lists the crossers
// only when the flag is set, which is rare.
template <bool Update, bool Threshold>
[[gnu::always_inline]] inline RowPass pass_body(float* __restrict drive, float* __restrict row, float increment,
                                                std::size_t n, const float* __restrict post, float factor, float low,
                                                float high, const float* __restrict inhibition,
                                                const float* __restrict bias, float threshold, float scale) {
    std::uint32_t nonzero = 0;
    std::uint32_t crossed = 0;
    for (std::size_t k = 0; k < n; ++k) {
        float w = row[k];
        if constexpr (Update) {
            w = std::clamp(w - factor * post[k], low, high);
            row[k] = w;
        }
        const float d = drive[k] + w * increment;
        drive[k] = d;
        nonzero += w != 0.0F ? 1U : 0U;
        if constexpr (Threshold) crossed |= passes(d, inhibition[k], bias[k], threshold, scale) ? 1U : 0U;
    }
    return {nonzero, crossed != 0U};
}

#define SOFTSPIKE_ROW_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

SOFTSPIKE_ROW_CLONES RowPass plain(float* drive, float* row, float inc, std::size_t n) {
    return pass_body<false, false>(drive, row, inc, n, nullptr, 0, 0, 0, nullptr, nullptr, 0, 0);
}
SOFTSPIKE_ROW_CLONES RowPass plain_threshold(float* drive, float* row, float inc, std::size_t n, const float* inh,
                                             const float* bias, float threshold, float scale) {
    return pass_body<false, true>(drive, row, inc, n, nullptr, 0, 0, 0, inh, bias, threshold, scale);
}
SOFTSPIKE_ROW_CLONES RowPass updating(float* drive, float* row, float inc, std::size_t n, const float* post,
                                      float factor, float low, float high) {
    return pass_body<true, false>(drive, row, inc, n, post, factor, low, high, nullptr, nullptr, 0, 0);
}
SOFTSPIKE_ROW_CLONES RowPass updating_threshold(float* drive, float* row, float inc, std::size_t n, const float* post,
                                                float factor, float low, float high, const float* inh,
                                                const float* bias, float threshold, float scale) {
    return pass_body<true, true>(drive, row, inc, n, post, factor, low, high, inh, bias, threshold, scale);
}
SOFTSPIKE_ROW_CLONES void update_only(float* __restrict row, std::size_t n, const float* __restrict post, float factor,
                                      float low, float high) {
    for (std::size_t k = 0; k < n; ++k) row[k] = std::clamp(row[k] - factor * post[k], low, high);
}

// Whether any of targets [begin, begin + count) passes the test: a branch-free reduction that vectorises.
SOFTSPIKE_ROW_CLONES bool any_crosses(const float* __restrict drive, const float* __restrict inhibition,
                                      const float* __restrict bias, float threshold, float scale, std::size_t count) {
    std::uint32_t crossed = 0;
    for (std::size_t k = 0; k < count; ++k) {
        crossed |= passes(drive[k], inhibition[k], bias[k], threshold, scale) ? 1U : 0U;
    }
    return crossed != 0U;
}

#undef SOFTSPIKE_ROW_CLONES

}  // namespace

RowPass pass_row(float* drive, float* row, float increment, std::size_t n, const PreRowUpdate& update,
                 const RowThreshold* threshold) {
    if (!update.active()) return pass_row(drive, static_cast<const float*>(row), increment, n, threshold);
    if (threshold == nullptr)
        return updating(drive, row, increment, n, update.post, update.factor, update.low, update.high);
    return updating_threshold(drive, row, increment, n, update.post, update.factor, update.low, update.high,
                              threshold->inhibition, threshold->bias, threshold->threshold, threshold->scale);
}

RowPass pass_row(float* drive, const float* row, float increment, std::size_t n, const RowThreshold* threshold) {
    // The plain variants never write the row: the const_cast only lets them share the updating body.
    auto* w = const_cast<float*>(row);
    if (threshold == nullptr) return plain(drive, w, increment, n);
    return plain_threshold(drive, w, increment, n, threshold->inhibition, threshold->bias, threshold->threshold,
                           threshold->scale);
}

void update_row(float* row, std::size_t n, const PreRowUpdate& update) {
    if (update.active()) update_only(row, n, update.post, update.factor, update.low, update.high);
}

void list_crossers(const float* drive, std::size_t n, const RowThreshold& t, std::vector<std::uint32_t>& out) {
    constexpr std::size_t group = 16;
    for (std::size_t begin = 0; begin < n; begin += group) {
        const std::size_t count = std::min(group, n - begin);
        if (!any_crosses(drive + begin, t.inhibition + begin, t.bias + begin, t.threshold, t.scale, count)) continue;
        for (std::size_t k = begin; k < begin + count; ++k) {
            if (passes(drive[k], t.inhibition[k], t.bias[k], t.threshold, t.scale)) {
                out.push_back(static_cast<std::uint32_t>(k));
            }
        }
    }
}

}  // namespace softspike
