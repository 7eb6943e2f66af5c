#include "network/conv_fanout.hpp"

#include <stdexcept>

#include "core/synaptic_row.hpp"

namespace softspike {

namespace {

// For each input coordinate along one axis, the (output, offset) pairs that read it: the inverse of the
// forward map out * stride - padding + offset -> padded_source, so that padding is read exactly as im2col does.
std::vector<std::vector<ConvFanout::Reach>> invert_axis(std::size_t size, std::size_t outputs, const Conv2dShape& s) {
    std::vector<std::vector<ConvFanout::Reach>> readers(size);
    for (std::size_t o = 0; o < outputs; ++o) {
        for (std::size_t d = 0; d < s.kernel; ++d) {
            const std::ptrdiff_t padded =
                static_cast<std::ptrdiff_t>(o * s.stride + d) - static_cast<std::ptrdiff_t>(s.padding);
            const std::ptrdiff_t source = padded_source(padded, static_cast<std::ptrdiff_t>(size), s.mode);
            if (source >= 0) {
                readers[static_cast<std::size_t>(source)].push_back(
                    {static_cast<std::uint32_t>(o), static_cast<std::uint32_t>(d)});
            }
        }
    }
    return readers;
}

}  // namespace

ConvFanout::ConvFanout(const Conv2dShape& shape) : shape_(shape) {
    if (const std::string problem = shape.problem(); !problem.empty()) throw std::invalid_argument(problem);
    rows_ = invert_axis(shape.height, shape.out_height(), shape);
    cols_ = invert_axis(shape.width, shape.out_width(), shape);
}

std::uint64_t ConvFanout::deliver(std::size_t channel, std::size_t y, std::size_t x, float amplitude,
                                  const float* kernels, std::size_t filters, float* drive,
                                  std::uint64_t& nonzero) const {
    if (channel >= shape_.channels || y >= shape_.height || x >= shape_.width) {
        throw std::out_of_range("ConvFanout::deliver: the spike's source is outside the input");
    }
    const std::size_t k = shape_.kernel;
    const std::size_t out_w = shape_.out_width();
    const float* channel_rows = kernels + channel * k * k * filters;
    std::uint64_t pairs = 0;
    for (const Reach& r : rows_[y]) {
        for (const Reach& c : cols_[x]) {
            const float* row = channel_rows + (r.offset * k + c.offset) * filters;
            float* target = drive + (static_cast<std::size_t>(r.out) * out_w + c.out) * filters;
            nonzero += pass_row(target, row, amplitude, filters, nullptr).nonzero;
            ++pairs;
        }
    }
    return pairs * filters;
}

}  // namespace softspike
