#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/conv_shape.hpp"

namespace softspike {

// Where a spike goes in a convolutional layer of the spiking form (issue 16): an input spike at (channel, y, x)
// reaches every output position whose window reads that pixel, through the kernel offset at which it reads it,
// and adds the shared kernel's row for (channel, offset) to the drives of all filters there. The kernels are
// laid out as the rate form's (patch_size x filters, channel-major patches), so each row of `filters` weights
// is contiguous, and the drives channels last (positions x filters), so each target update is one contiguous
// row: the same arrival loop as a dense layer's (core/synaptic_row). Padding is the rate form's: a zero-padded
// edge reaches fewer positions, a reflect-padded one also reaches the positions that read its mirror image.
class ConvFanout {
public:
    explicit ConvFanout(const Conv2dShape& shape);

    // One (output row or column, kernel offset) that reads an input row or column.
    struct Reach {
        std::uint32_t out = 0;
        std::uint32_t offset = 0;
    };

    [[nodiscard]] const Conv2dShape& shape() const { return shape_; }
    // The output rows (with their kernel rows) that read input row y; the same for columns.
    [[nodiscard]] const std::vector<Reach>& rows_reading(std::size_t y) const { return rows_[y]; }
    [[nodiscard]] const std::vector<Reach>& cols_reading(std::size_t x) const { return cols_[x]; }
    // (output position, kernel offset) pairs a spike at (y, x) reaches: each one is `filters` synaptic events.
    [[nodiscard]] std::size_t reach(std::size_t y, std::size_t x) const { return rows_[y].size() * cols_[x].size(); }

    // drive (positions x filters) += amplitude x kernel row (channel, offset) at every position the spike at
    // (channel, y, x) reaches; kernels (patch_size x filters). Returns the synaptic events: filters per pair,
    // and adds to `nonzero` those through a nonzero weight (NeuroBench's effective operations).
    std::uint64_t deliver(std::size_t channel, std::size_t y, std::size_t x, float amplitude, const float* kernels,
                          std::size_t filters, float* drive, std::uint64_t& nonzero) const;

private:
    Conv2dShape shape_;
    std::vector<std::vector<Reach>> rows_;  // per input row
    std::vector<std::vector<Reach>> cols_;  // per input column
};

}  // namespace softspike
