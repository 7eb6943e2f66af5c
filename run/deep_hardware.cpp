#include "run/deep_hardware.hpp"

#include <algorithm>
#include <stdexcept>

namespace softspike {

HardwareFigures block_memory_figures(const ConvBlock& block, std::uint64_t images, const ChipParams& chip) {
    const std::vector<float>& w = block.kernels().weights.weights();
    const auto zeros = static_cast<std::uint64_t>(std::count(w.begin(), w.end(), 0.0F));
    HardwareFigures f;
    f.images = images;
    f.footprint_bytes = w.size() * chip.weight_bits / 8 + 2 * 4 * block.input_shape().channels;
    f.connection_sparsity = w.empty() ? 0.0 : static_cast<double>(zeros) / static_cast<double>(w.size());
    return f;
}

void add_block(DeepHardware& out, const HardwareFigures& block, const ConvBlock& kernels, std::uint64_t& synapses,
               std::uint64_t& zero_weights) {
    const std::vector<float>& w = kernels.kernels().weights.weights();
    out.total.counts += block.counts;
    out.total.weight_read_bytes += block.weight_read_bytes;
    out.total.weight_write_bytes += block.weight_write_bytes;
    out.total.dense_ops += block.dense_ops;
    out.total.footprint_bytes += block.footprint_bytes;
    synapses += w.size();
    zero_weights += static_cast<std::uint64_t>(std::count(w.begin(), w.end(), 0.0F));
    out.blocks.push_back(block);
    out.total.connection_sparsity =
        synapses == 0 ? 0.0 : static_cast<double>(zero_weights) / static_cast<double>(synapses);
}

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
        HardwareFigures f = block_memory_figures(block, images, chip);
        f.counts.synaptic_events = r.macs;
        f.counts.effective_macs = r.effective_macs + r.plasticity_macs;
        f.counts.plasticity_updates = r.plasticity_updates;
        f.counts.membrane_updates = r.samples * block.kernels().weights.targets();
        f.weight_read_bytes = static_cast<double>(r.macs + r.plasticity_updates) * bytes;
        f.weight_write_bytes = static_cast<double>(r.plasticity_updates) * bytes;
        f.dense_ops = r.macs;
        f.activation_sparsity = r.activation_sparsity();
        add_block(out, f, block, synapses, zero_weights);
        all.outputs += r.outputs;
        all.zero_outputs += r.zero_outputs;
    }
    out.total.activation_sparsity = all.activation_sparsity();
    return out;
}

}  // namespace softspike
