#include "run/deep_hardware.hpp"

#include <algorithm>
#include <stdexcept>

namespace softspike {

DeepHardware deep_hardware(const DeepRateNetwork& network, const std::vector<RateCounters>& counters,
                           std::uint64_t images, const ChipParams& chip) {
    if (counters.size() != network.depth()) throw std::invalid_argument("deep_hardware: one counter set per block");
    const double bytes = chip.weight_bytes();
    DeepHardware out;
    out.total.images = images;
    std::uint64_t synapses = 0;
    std::uint64_t zero_weights = 0;
    RateCounters all;  // the blocks' outputs together
    for (std::size_t b = 0; b < network.depth(); ++b) {
        const RateCounters& r = counters[b];
        const ConvBlock& block = network.block(b);
        const std::vector<float>& w = block.kernels().weights.weights();
        const std::size_t filters = block.kernels().weights.targets();
        HardwareFigures f;
        f.images = images;
        f.counts.synaptic_events = r.macs;
        f.counts.effective_macs = r.effective_macs + r.plasticity_macs;
        f.counts.plasticity_updates = r.plasticity_updates;
        f.counts.membrane_updates = r.samples * filters;
        f.weight_read_bytes = static_cast<double>(r.macs + r.plasticity_updates) * bytes;
        f.weight_write_bytes = static_cast<double>(r.plasticity_updates) * bytes;
        f.dense_ops = r.macs;
        const auto zeros = static_cast<std::uint64_t>(std::count(w.begin(), w.end(), 0.0F));
        f.footprint_bytes = w.size() * chip.weight_bits / 8 + 2 * 4 * block.input_shape().channels;
        f.connection_sparsity = w.empty() ? 0.0 : static_cast<double>(zeros) / static_cast<double>(w.size());
        f.activation_sparsity = r.activation_sparsity();
        f.neuron_steps = 0;
        out.total.counts += f.counts;
        out.total.weight_read_bytes += f.weight_read_bytes;
        out.total.weight_write_bytes += f.weight_write_bytes;
        out.total.dense_ops += f.dense_ops;
        out.total.footprint_bytes += f.footprint_bytes;
        synapses += w.size();
        zero_weights += zeros;
        all.outputs += r.outputs;
        all.zero_outputs += r.zero_outputs;
        out.blocks.push_back(f);
    }
    out.total.connection_sparsity =
        synapses == 0 ? 0.0 : static_cast<double>(zero_weights) / static_cast<double>(synapses);
    out.total.activation_sparsity = all.activation_sparsity();
    return out;
}

}  // namespace softspike
