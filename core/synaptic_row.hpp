#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace softspike {

// A presynaptic weight update that is one clipped affine step per synapse of a row,
// w_k <- clamp(w_k - factor * post_k, low, high) (pair STDP's depression). A rule that has one lets the
// population apply it in the same pass over the row as the delivery, so the row is read and written once per
// spike instead of once by the rule and again by the delivery.
struct PreRowUpdate {
    const float* post = nullptr;  // per target; null: the rule has no such update
    float factor = 0.0F;
    float low = 0.0F;
    float high = 0.0F;
    [[nodiscard]] bool active() const { return post != nullptr; }
};

// The LIF threshold test of every target after an arrival, in the population's scaled form:
// drive_k - inhibition_k + (bias_k - threshold) * scale >= 0.
struct RowThreshold {
    const float* inhibition = nullptr;
    const float* bias = nullptr;
    float threshold = 0.0F;
    float scale = 1.0F;
};

// What one pass over a row found.
struct RowPass {
    std::uint32_t nonzero = 0;  // synapses whose weight (after the update, if any) is nonzero
    bool crossed = false;       // some target passed the threshold test (only with a RowThreshold)
};

// The hot loop of a synaptic arrival: drive_k += w_k * increment over the row, with the optional pre-row
// update applied first to each weight and the optional threshold test after, all in one pass. Compiled for
// AVX-512, AVX2 and the portable baseline and chosen by the CPU at load time; every element is computed alone
// in the same order of operations, so all versions, fused or not, give bit-identical drives and weights.
RowPass pass_row(float* drive, float* row, float increment, std::size_t n, const PreRowUpdate& update,
                 const RowThreshold* threshold);
RowPass pass_row(float* drive, const float* row, float increment, std::size_t n, const RowThreshold* threshold);

// Appends to `out`, in ascending order, every target that passes the threshold test (the same expression as
// the pass), testing 16 targets at a time and listing only within the groups where some passed.
void list_crossers(const float* drive, std::size_t n, const RowThreshold& threshold, std::vector<std::uint32_t>& out);

// The pre-row update alone, for a rule used outside a delivery.
void update_row(float* row, std::size_t n, const PreRowUpdate& update);

}  // namespace softspike
