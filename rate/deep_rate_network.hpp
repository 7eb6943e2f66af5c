#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "plasticity/plasticity_rule.hpp"
#include "rate/conv_block.hpp"
#include "rate/deep_weights.hpp"

namespace softspike {

// A stack of convolutional soft-WTA blocks (multilayer SoftHebb, docs/model.md §12) whose last output,
// flattened, is the feature vector a read-out learns from. No block sees a signal from above: each learns
// only from its own input and drive.
class DeepRateNetwork {
public:
    // The blocks' kernels are drawn from `seed`'s weight streams, one stream per block.
    DeepRateNetwork(TensorShape input, const std::vector<ConvBlockParams>& blocks, std::uint64_t seed);

    // Empty when every block fits the output of the one below; otherwise "layers[i].key: what is wrong".
    [[nodiscard]] static std::string problem(TensorShape input, const std::vector<ConvBlockParams>& blocks);

    // features (batch x feature_count) of `batch` images. Blocks whose index is in [learn_first, learn_last]
    // learn from the batch with `rule` (while the others stay frozen); learn_first > learn_last: all frozen.
    void run(std::span<const float> images, std::size_t batch, std::vector<float>& features,
             std::vector<RateCounters>& counters, const PlasticityRule* rule = nullptr, std::size_t learn_first = 1,
             std::size_t learn_last = 0);

    // Each block's output summed over a frozen pass of `batch` images (the spiking form sets the value of its
    // spikes from these: docs/model.md §13).
    [[nodiscard]] std::vector<double> output_sums(std::span<const float> images, std::size_t batch);

    [[nodiscard]] std::size_t feature_count() const { return blocks_.back().output_shape().size(); }
    [[nodiscard]] std::size_t depth() const { return blocks_.size(); }
    [[nodiscard]] const ConvBlock& block(std::size_t i) const { return blocks_[i]; }
    // Mutable: the spiking form's learning (run/) writes the kernels and statistics it learned.
    [[nodiscard]] ConvBlock& block(std::size_t i) { return blocks_[i]; }

    // The learned state of every block (kernels, BatchNorm's running statistics).
    [[nodiscard]] DeepWeights weights() const;
    // Empty when `weights` fits this network (as many blocks, each with the same kernel count, patch size and
    // input channels); otherwise what differs first, naming the block ("block 2: ...").
    [[nodiscard]] std::string mismatch(const DeepWeights& weights) const;
    // Sets every block's learned state; `weights` must fit (see mismatch, std::invalid_argument otherwise).
    void restore(const DeepWeights& weights);

private:
    std::vector<ConvBlock> blocks_;
    std::vector<float> a_;  // activations between blocks, reused
    std::vector<float> b_;
};

}  // namespace softspike
