#include "rate/deep_rate_network.hpp"

#include <stdexcept>

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

void DeepRateNetwork::run(std::span<const float> images, std::size_t batch, std::vector<float>& features,
                          std::vector<RateCounters>& counters, const PlasticityRule* rule, std::size_t learn_first,
                          std::size_t learn_last) {
    counters.resize(blocks_.size());
    std::span<const float> in = images;
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const bool learns = rule != nullptr && i >= learn_first && i <= learn_last;
        std::vector<float>& out = i + 1 == blocks_.size() ? features : (i % 2 == 0 ? a_ : b_);
        blocks_[i].forward(in, batch, out, counters[i], learns ? rule : nullptr);
        in = out;
        // Blocks above the last learning one do not change anything a learning block sees: stop there.
        if (rule != nullptr && i == learn_last && learn_last + 1 < blocks_.size() && learn_first <= learn_last) return;
    }
}

}  // namespace softspike
