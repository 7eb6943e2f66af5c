#include "network/spiking_conv_block.hpp"

#include <stdexcept>

#include "core/systematic_sampling.hpp"
#include "core/triangle.hpp"

namespace softspike {

SpikingConvBlock::SpikingConvBlock(const SpikingConvParams& params, std::span<const float> kernels,
                                   std::span<const double> mean, std::span<const double> variance)
    : params_(params),
      fanout_(params.shape),
      folded_(fold_batch_norm(params.shape, kernels, params.filters, mean, variance)) {
    if (!(params.input_quantum > 0.0) || !(params.output_quantum > 0.0)) {
        throw std::invalid_argument("SpikingConvBlock: quanta must be positive");
    }
    if (const std::string p = params.pool.problem(params.shape.out_height(), params.shape.out_width()); !p.empty()) {
        throw std::invalid_argument("SpikingConvBlock: pool." + p);
    }
}

void SpikingConvBlock::set_quanta(double input_quantum, double output_quantum) {
    if (!(input_quantum > 0.0) || !(output_quantum > 0.0)) throw std::invalid_argument("SpikingConvBlock: quanta must be positive");
    params_.input_quantum = input_quantum;
    params_.output_quantum = output_quantum;
}

std::size_t SpikingConvBlock::output_size() const {
    return params_.filters * params_.pool.out(params_.shape.out_height()) * params_.pool.out(params_.shape.out_width());
}

void SpikingConvBlock::integrate(std::span<const std::uint32_t> spikes, std::vector<float>& drive,
                                 SpikingBlockCounters& counters) const {
    drive = folded_.bias;
    const Conv2dShape& s = params_.shape;
    const std::size_t plane = s.height * s.width;
    const auto amplitude = static_cast<float>(params_.input_quantum);
    std::uint64_t events = 0;
    std::uint64_t nonzero = 0;
    for (const std::uint32_t unit : spikes) {
        const std::size_t c = unit / plane;
        const std::size_t y = (unit % plane) / s.width;
        const std::size_t x = unit % s.width;
        events += fanout_.deliver(c, y, x, amplitude, folded_.kernels.data(), params_.filters, drive.data(), nonzero);
    }
    counters.events.input_spikes += spikes.size();
    counters.events.synaptic_events += events;
    counters.events.effective_acs += nonzero;
    counters.events.membrane_updates += drive.size();
}

void SpikingConvBlock::integrate_values(std::span<const float> values, std::vector<float>& drive) const {
    if (values.size() != input_size()) throw std::invalid_argument("SpikingConvBlock: input size");
    drive = folded_.bias;
    const Conv2dShape& s = params_.shape;
    std::uint64_t nonzero = 0;
    for (std::size_t c = 0; c < s.channels; ++c) {
        for (std::size_t y = 0; y < s.height; ++y) {
            for (std::size_t x = 0; x < s.width; ++x) {
                const float v = values[(c * s.height + y) * s.width + x];
                if (v != 0.0F) fanout_.deliver(c, y, x, v, folded_.kernels.data(), params_.filters, drive.data(), nonzero);
            }
        }
    }
}

void SpikingConvBlock::activate(std::vector<float>& drive, std::vector<float>& pooled) const {
    const Conv2dShape& s = params_.shape;
    triangle_rows(drive, s.positions(), params_.triangle_power);
    pooled.resize(output_size());
    pool_to_channels_first(drive, s.out_height(), s.out_width(), params_.filters, params_.pool, pooled);
}

void SpikingConvBlock::fire(std::span<const float> pooled, double start, std::vector<std::uint32_t>& spikes,
                            SpikingBlockCounters& counters) const {
    spikes.clear();
    counters.events.output_spikes += systematic_quantise(pooled, params_.output_quantum, start, spikes);
    // The spikes come in increasing unit order: the units that fired are the distinct ones.
    std::uint64_t fired = 0;
    for (std::size_t i = 0; i < spikes.size(); ++i) fired += (i == 0 || spikes[i] != spikes[i - 1]) ? 1 : 0;
    counters.outputs += pooled.size();
    counters.silent_outputs += pooled.size() - fired;
}

}  // namespace softspike
