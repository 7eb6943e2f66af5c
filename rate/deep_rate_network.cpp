#include "rate/deep_rate_network.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/numerical_error.hpp"
#include "core/random.hpp"

namespace softspike {

std::string DeepRateNetwork::problem(TensorShape input, const std::vector<ConvBlockParams>& blocks) {
    if (blocks.empty()) return "layers: expected at least one layer";
    TensorShape shape = input;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (const std::string p = ConvBlock::problem(shape, blocks[i]); !p.empty()) {
            return "layers[" + std::to_string(i) + "]." + p + " (its input: " + std::to_string(shape.channels) + " x " +
                   std::to_string(shape.height) + " x " + std::to_string(shape.width) + ")";
        }
        shape = ConvBlock::output_shape_of(shape, blocks[i]);
    }
    return {};
}

DeepRateNetwork::DeepRateNetwork(TensorShape input, const std::vector<ConvBlockParams>& blocks, std::uint64_t seed) {
    if (const std::string p = problem(input, blocks); !p.empty()) throw std::invalid_argument(p);
    blocks_.reserve(blocks.size());
    TensorShape shape = input;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        Rng init = Rng::stream(seed, StreamPurpose::weight_init, 1000 + i);
        blocks_.emplace_back(shape, blocks[i], init, Rng::stream(seed, StreamPurpose::weight_init, 2000 + i));
        shape = blocks_.back().output_shape();
    }
}

DeepWeights DeepRateNetwork::weights() const {
    DeepWeights out;
    out.blocks.reserve(blocks_.size());
    for (const ConvBlock& block : blocks_) {
        const BatchNorm& norm = block.batch_norm();
        out.blocks.push_back({block.kernels(),
                              {norm.running_mean().begin(), norm.running_mean().end()},
                              {norm.running_variance().begin(), norm.running_variance().end()}});
    }
    return out;
}

std::string DeepRateNetwork::mismatch(const DeepWeights& weights) const {
    if (weights.blocks.size() != blocks_.size()) {
        return std::to_string(weights.blocks.size()) + " blocks, the network has " + std::to_string(blocks_.size());
    }
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const BlockWeights& w = weights.blocks[i];
        const Projection& have = blocks_[i].kernels().weights;
        const std::string block = "block " + std::to_string(i + 1) + ": ";
        if (w.kernels.weights.targets() != have.targets() || w.kernels.weights.sources() != have.sources()) {
            return block + std::to_string(w.kernels.weights.targets()) + " kernels of " +
                   std::to_string(w.kernels.weights.sources()) + " weights, the network has " +
                   std::to_string(have.targets()) + " of " + std::to_string(have.sources());
        }
        const std::size_t channels = blocks_[i].batch_norm().running_mean().size();
        if (w.running_mean.size() != channels || w.running_variance.size() != channels) {
            return block + "BatchNorm statistics for " + std::to_string(w.running_mean.size()) + " and " +
                   std::to_string(w.running_variance.size()) + " channels, the network's input has " +
                   std::to_string(channels);
        }
    }
    return {};
}

void DeepRateNetwork::restore(const DeepWeights& weights) {
    if (const std::string m = mismatch(weights); !m.empty()) throw std::invalid_argument("deep weights: " + m);
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const BlockWeights& w = weights.blocks[i];
        blocks_[i].kernels() = w.kernels;
        BatchNorm& norm = blocks_[i].batch_norm();
        std::copy(w.running_mean.begin(), w.running_mean.end(), norm.running_mean().begin());
        std::copy(w.running_variance.begin(), w.running_variance.end(), norm.running_variance().begin());
    }
}

std::vector<double> DeepRateNetwork::output_sums(std::span<const float> images, std::size_t batch) {
    std::vector<double> sums(blocks_.size(), 0.0);
    RateCounters unused;
    std::span<const float> in = images;
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        std::vector<float>& out = i % 2 == 0 ? a_ : b_;
        blocks_[i].forward(in, batch, out, unused);
        for (const float v : out) sums[i] += v;
        in = out;
    }
    return sums;
}

void DeepRateNetwork::run(std::span<const float> images, std::size_t batch, std::vector<float>& features,
                          std::vector<RateCounters>& counters, const PlasticityRule* rule, std::size_t learn_first,
                          std::size_t learn_last) {
    counters.resize(blocks_.size());
    std::span<const float> in = images;
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const bool learns = rule != nullptr && i >= learn_first && i <= learn_last;
        std::vector<float>& out = i + 1 == blocks_.size() ? features : (i % 2 == 0 ? a_ : b_);
        try {
            blocks_[i].forward(in, batch, out, counters[i], learns ? rule : nullptr);
        } catch (const NumericalError&) {
            if (!learns) throw;
            // The layer's own key, not the single-layer network's (which RateLayer's message names).
            const std::string key = "network.layers[" + std::to_string(i) + "]";
            throw NumericalError(
                key + ": a drive became non-finite while the block learned (learning_rate " +
                std::to_string(blocks_[i].params().learning.learning_rate) + "): lower " + key + ".learning_rate" +
                (blocks_[i].params().learning.normalise_update ? "" : ", or set " + key + ".normalise_update true"));
        }
        in = out;
        // Blocks above the last learning one do not change anything a learning block sees: stop there.
        if (rule != nullptr && i == learn_last && learn_last + 1 < blocks_.size() && learn_first <= learn_last) return;
    }
}

}  // namespace softspike
