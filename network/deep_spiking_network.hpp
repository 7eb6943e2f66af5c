#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.hpp"
#include "core/random.hpp"
#include "network/spiking_conv_block.hpp"

namespace softspike {

// A stack of spiking conv blocks (issue 16; docs/model.md §13): the image fires unit spikes at the first
// block's input quantum, each block integrates the spikes of the one below over a window and fires its own,
// and the last block's spikes, counted per unit and times its quantum, are the features a read-out learns
// from. Frozen: the kernels are the rate form's, BatchNorm folded in.
class DeepSpikingNetwork {
public:
    // What the read-out sees of the last block: its spikes (counted per unit, times their value), or the
    // activation its spike-driven drive gives at the end of the window (the last block then does not fire:
    // a read-out of its neurons' state, as a chip reads membranes).
    enum class Features : std::uint8_t { spikes, activation };

    explicit DeepSpikingNetwork(std::vector<SpikingConvBlock> blocks, Features features = Features::activation);

    [[nodiscard]] std::size_t depth() const { return blocks_.size(); }
    [[nodiscard]] const SpikingConvBlock& block(std::size_t i) const { return blocks_[i]; }
    [[nodiscard]] std::size_t feature_count() const { return blocks_.back().output_size(); }

    // Buffers reused between images (one per worker).
    struct Workspace {
        std::vector<std::uint32_t> spikes;
        std::vector<std::uint32_t> next;
        std::vector<float> drive;
        std::vector<float> pooled;
    };

    // features (feature_count) of one image (channels x height x width intensities in [0, 1]); `rng` draws
    // one systematic start per spiking map (the image's and every block's); counters per block.
    void present(std::span<const float> image, Rng& rng, std::span<float> features,
                 std::vector<SpikingBlockCounters>& counters, Workspace& work) const;

    // The spikes of one image up to block `last` only; returns the summed activation that block's pooled map
    // had before it fired (from which run/ sets the value of its spikes).
    double activation_at(std::span<const float> image, Rng& rng, std::size_t last, Workspace& work) const;

    // Per input channel of block `block`, the sum and the sum of squares over its input units of the
    // values its spikes from below carry in one image (a spike count times its value): the statistics of what
    // the block receives in the spiking form.
    void input_moments(std::span<const float> image, Rng& rng, std::size_t block, Workspace& work,
                       std::vector<double>& sum, std::vector<double>& squares) const;

    // The input spikes of block `block` (the image's for 0; the blocks below integrate, compete and fire), in
    // increasing unit order, in work.spikes; one systematic start per map from `rng`; the blocks below counted
    // into counters[0 .. block - 1] when `counters` is given (sized depth()).
    std::span<const std::uint32_t> input_spikes(std::span<const float> image, Rng& rng, std::size_t block,
                                                Workspace& work, std::vector<SpikingBlockCounters>* counters) const {
        spikes_into(image, rng, block, work, counters);
        return work.spikes;
    }

    // Replaces block i (same shape: run/ rebuilds it with other BatchNorm statistics).
    void replace_block(std::size_t i, SpikingConvBlock block);

    // The value of one spike of the image (i = 0) or of block i - 1's output: block i - 1's output and block
    // i's input change together.
    void set_quantum(std::size_t i, double quantum);

    // The same without spikes: every block passes its exact activation on (the rate form, by delivery). Also
    // gives each block's summed activation (`sums`, one per block), from which run/ sets the quanta.
    void present_exact(std::span<const float> image, std::span<float> features, std::vector<double>& sums,
                       Workspace& work) const;

private:
    // work.spikes = the input spikes of block `block` (the image's for 0; blocks below it integrate, compete
    // and fire), drawing one start per map from `rng`; counted per block into `counters` when given.
    void spikes_into(std::span<const float> image, Rng& rng, std::size_t block, Workspace& work,
                     std::vector<SpikingBlockCounters>* counters) const;

    std::vector<SpikingConvBlock> blocks_;
    Features features_;
};

}  // namespace softspike
