#pragma once
#include <vector>

#include "network/network_model.hpp"

namespace softspike {

// What one frozen convolutional block computes with: its kernels (patch_size x filters, as ConvBlock holds
// them) and BatchNorm's running statistics per input channel.
struct BlockWeights {
    NetworkModel kernels;
    std::vector<double> running_mean;
    std::vector<double> running_variance;
};

// A deep network's learned state, block by block from the input: what a deep weights file holds and what a
// resumed or evaluated deep run starts from. Nothing else in a block changes while it learns.
struct DeepWeights {
    std::vector<BlockWeights> blocks;
};

}  // namespace softspike
