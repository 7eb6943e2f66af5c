#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/conv_shape.hpp"
#include "core/counters.hpp"
#include "core/pooling.hpp"
#include "network/conv_fanout.hpp"
#include "network/folded_batch_norm.hpp"

namespace softspike {

// What the spiking form of one conv block is (lowered from the config by run/): the convolution over its
// input, the triangle's power, the pooling, and the value of one spike in and out.
struct SpikingConvParams {
    Conv2dShape shape;
    std::size_t filters = 1;
    double triangle_power = 1.0;
    PoolParams pool;
    double input_quantum = 1.0;   // what one input spike stands for (the block below's output quantum)
    double output_quantum = 1.0;  // what one output spike stands for
};

// What a spiking conv block did: its exact event counts, and how many of its output units (after pooling)
// there were over the windows and how many of them fired no spike (ActivationSparsity = silent / outputs).
struct SpikingBlockCounters {
    EventCounters events;
    std::uint64_t outputs = 0;
    std::uint64_t silent_outputs = 0;

    [[nodiscard]] double activation_sparsity() const {
        return outputs == 0 ? 0.0 : static_cast<double>(silent_outputs) / static_cast<double>(outputs);
    }

    SpikingBlockCounters& operator+=(const SpikingBlockCounters& o) {
        events += o.events;
        outputs += o.outputs;
        silent_outputs += o.silent_outputs;
        return *this;
    }
};

// A convolutional soft-WTA block of the spiking form (issue 16; docs/model.md §13). Its neurons integrate a
// window's input spikes without leak: every unit spike is delivered through the shared kernel (BatchNorm
// folded in, so raw spikes suffice) to the drives of every position that reads its pixel. At the end of the
// window each position's channels compete (the triangle: each drive less the position's mean, to a power),
// pooling picks the largest of a window (a local winner-take-all) or sums it, and the pooled map fires unit
// spikes, one per output_quantum of activation by systematic sampling, into the next block's window. The
// activation a block passes on is therefore the rate form's, estimated from spikes, term by term.
class SpikingConvBlock {
public:
    // kernels (patch_size x filters) and the BatchNorm running statistics as the rate block holds them (empty
    // statistics: no BatchNorm).
    SpikingConvBlock(const SpikingConvParams& params, std::span<const float> kernels, std::span<const double> mean,
                     std::span<const double> variance);

    [[nodiscard]] const SpikingConvParams& params() const { return params_; }
    // The values of one spike in and out (run/ sets them from what the blocks fire on calibration images).
    void set_quanta(double input_quantum, double output_quantum);
    [[nodiscard]] std::size_t input_size() const { return params_.shape.channels * params_.shape.height * params_.shape.width; }
    [[nodiscard]] std::size_t output_size() const;

    // drive (positions x filters) = the folded bias + one kernel row per (spike, position reached), each
    // spike of value input_quantum; `spikes` are input units (channel-first indices). Counts the input spikes,
    // the synaptic events (filters per position reached) and those through a nonzero weight (effective ACs:
    // unit spikes), and one membrane write per drive.
    void integrate(std::span<const std::uint32_t> spikes, std::vector<float>& drive,
                   SpikingBlockCounters& counters) const;
    // The same with graded input values (channels x height x width): every pixel one event of its value. The
    // rate form computed by delivery, for calibration and tests; not counted.
    void integrate_values(std::span<const float> values, std::vector<float>& drive) const;
    // pooled (output_size, channels first) = pool(triangle(drive)).
    void activate(std::vector<float>& drive, std::vector<float>& pooled) const;
    // Unit spikes for `pooled` at output_quantum each (systematic, from `start` in [0, 1)); counted as output
    // spikes, and the silent units among the outputs.
    void fire(std::span<const float> pooled, double start, std::vector<std::uint32_t>& spikes,
              SpikingBlockCounters& counters) const;

private:
    SpikingConvParams params_;
    ConvFanout fanout_;
    FoldedConv folded_;
};

}  // namespace softspike
