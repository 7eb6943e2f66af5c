#include "network/deep_spiking_network.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/systematic_sampling.hpp"

namespace softspike {

DeepSpikingNetwork::DeepSpikingNetwork(std::vector<SpikingConvBlock> blocks, Features features)
    : blocks_(std::move(blocks)), features_(features) {
    if (blocks_.empty()) throw std::invalid_argument("DeepSpikingNetwork: no blocks");
    for (std::size_t i = 1; i < blocks_.size(); ++i) {
        if (blocks_[i].input_size() != blocks_[i - 1].output_size()) {
            throw std::invalid_argument("DeepSpikingNetwork: block " + std::to_string(i + 1) +
                                        " does not read the output of the block below");
        }
    }
}

void DeepSpikingNetwork::spikes_into(std::span<const float> image, Rng& rng, std::size_t block, Workspace& work,
                                     std::vector<SpikingBlockCounters>* counters) const {
    SpikingBlockCounters unused;
    work.spikes.clear();
    // The image's own spikes are the first block's input; counted there as input spikes.
    systematic_quantise(image, blocks_.front().params().input_quantum, rng.uniform(), work.spikes);
    for (std::size_t i = 0; i < block; ++i) {
        SpikingBlockCounters& c = counters != nullptr ? (*counters)[i] : unused;
        blocks_[i].integrate(work.spikes, work.drive, c);
        blocks_[i].activate(work.drive, work.pooled);
        blocks_[i].fire(work.pooled, rng.uniform(), work.next, c);
        std::swap(work.spikes, work.next);
    }
}

void DeepSpikingNetwork::present(std::span<const float> image, Rng& rng, std::span<float> features,
                                 std::vector<SpikingBlockCounters>& counters, Workspace& work) const {
    if (image.size() != blocks_.front().input_size() || features.size() != feature_count()) {
        throw std::invalid_argument("DeepSpikingNetwork::present: sizes");
    }
    counters.resize(blocks_.size());
    if (features_ == Features::activation) {
        const std::size_t last = blocks_.size() - 1;
        spikes_into(image, rng, last, work, &counters);
        blocks_[last].integrate(work.spikes, work.drive, counters[last]);
        blocks_[last].activate(work.drive, work.pooled);
        std::copy(work.pooled.begin(), work.pooled.end(), features.begin());
        return;
    }
    spikes_into(image, rng, blocks_.size(), work, &counters);
    // The last block's spikes, counted per unit, times their value.
    std::fill(features.begin(), features.end(), 0.0F);
    const auto quantum = static_cast<float>(blocks_.back().params().output_quantum);
    for (const std::uint32_t unit : work.spikes) features[unit] += quantum;
}

double DeepSpikingNetwork::activation_at(std::span<const float> image, Rng& rng, std::size_t last,
                                         Workspace& work) const {
    if (last >= blocks_.size()) throw std::invalid_argument("DeepSpikingNetwork::activation_at: no such block");
    spikes_into(image, rng, last, work, nullptr);
    SpikingBlockCounters unused;
    blocks_[last].integrate(work.spikes, work.drive, unused);
    blocks_[last].activate(work.drive, work.pooled);
    double sum = 0.0;
    for (const float v : work.pooled) sum += v;
    return sum;
}

void DeepSpikingNetwork::input_moments(std::span<const float> image, Rng& rng, std::size_t block, Workspace& work,
                                       std::vector<double>& sum, std::vector<double>& squares) const {
    if (block >= blocks_.size()) throw std::invalid_argument("DeepSpikingNetwork::input_moments: block");
    spikes_into(image, rng, block, work, nullptr);
    const Conv2dShape& s = blocks_[block].params().shape;
    const std::size_t plane = s.height * s.width;
    const double q = blocks_[block].params().input_quantum;
    sum.assign(s.channels, 0.0);
    squares.assign(s.channels, 0.0);
    // The spikes come in increasing unit order: a run of equal units is one unit's count.
    for (std::size_t k = 0; k < work.spikes.size();) {
        std::size_t end = k;
        while (end < work.spikes.size() && work.spikes[end] == work.spikes[k]) ++end;
        const double value = q * static_cast<double>(end - k);
        const std::size_t c = work.spikes[k] / plane;
        sum[c] += value;
        squares[c] += value * value;
        k = end;
    }
}

void DeepSpikingNetwork::replace_block(std::size_t i, SpikingConvBlock block) {
    if (i >= blocks_.size() || block.input_size() != blocks_[i].input_size() ||
        block.output_size() != blocks_[i].output_size()) {
        throw std::invalid_argument("DeepSpikingNetwork::replace_block: another shape");
    }
    blocks_[i] = std::move(block);
}

void DeepSpikingNetwork::set_quantum(std::size_t i, double quantum) {
    if (i > blocks_.size()) throw std::invalid_argument("DeepSpikingNetwork::set_quantum: no such map");
    if (i < blocks_.size()) blocks_[i].set_quanta(quantum, blocks_[i].params().output_quantum);
    if (i > 0) blocks_[i - 1].set_quanta(blocks_[i - 1].params().input_quantum, quantum);
}

void DeepSpikingNetwork::present_exact(std::span<const float> image, std::span<float> features,
                                       std::vector<double>& sums, Workspace& work) const {
    sums.assign(blocks_.size(), 0.0);
    std::vector<float> values(image.begin(), image.end());
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        blocks_[i].integrate_values(values, work.drive);
        blocks_[i].activate(work.drive, work.pooled);
        for (const float v : work.pooled) sums[i] += v;
        values = work.pooled;
    }
    std::copy(values.begin(), values.end(), features.begin());
}

}  // namespace softspike
