#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "chip/chip_params.hpp"
#include "core/dataset.hpp"
#include "network/deep_spiking_network.hpp"
#include "rate/deep_rate_network.hpp"
#include "readout/rate_vectors.hpp"
#include "run/config.hpp"
#include "run/deep_hardware.hpp"
#include "run/evaluation.hpp"

namespace softspike {

// The spiking form of a frozen deep rate network (docs/model.md §13): the same kernels and BatchNorm
// statistics, and the value of each map's spikes set so that, on the first network.calibration_images training
// images, the image fires network.input_spikes_per_pixel spikes per pixel and block i
// network.layers[i].spikes_per_unit per output unit, on average.
struct DeepSpikingTwin {
    DeepSpikingNetwork network;
    std::vector<double> quanta;  // [0]: one input spike's value; [i + 1]: one spike of block i
};
// Only the first `calibrated_blocks` blocks' spike values are set (the others' stay 1): the spiking form's
// learning calibrates the blocks below the one that learns.
DeepSpikingTwin deep_spiking_twin(const Config& config, const DeepRateNetwork& rate, const Dataset& train,
                                  std::size_t calibrated_blocks = SIZE_MAX);

// Per input channel of block `block`, the mean and the (biased, as BatchNorm normalises a batch) variance of the
// values its input spikes carry, over the first `images` training images (the calibration images' streams).
struct ChannelStatistics {
    std::vector<double> mean;
    std::vector<double> variance;
};
ChannelStatistics spiking_input_statistics(const DeepSpikingNetwork& network, const Dataset& train, std::size_t images,
                                           std::size_t block, std::uint64_t seed);

// The spiking network's features of every image and its counts per block (summed over the draws). Each image
// draws its spikes from its own stream (seed, deep_spikes, index; the test set's indices offset by 2^40, draw d's
// by d x 2^42), so the numbers do not depend on the thread count. With `draws` > 1, image i's draws are rows
// i x draws to i x draws + draws - 1.
struct DeepSpikingFeatures {
    RateVectors features;
    std::vector<SpikingBlockCounters> counters;
    double seconds = 0.0;
};
DeepSpikingFeatures deep_spiking_features(const DeepSpikingNetwork& network, const Dataset& data, std::uint64_t seed,
                                          FrozenSet set, const char* phase, bool show_progress, std::size_t draws = 1);

// The read-outs of training features with `draws` rows per image (image-major, as deep_spiking_features gives
// them): the l2 is chosen on the first draw of every image only, since a draw of an image must not be fitted
// while another draw of it validates, then the read-outs are fitted on every row.
ReadoutResult fit_readouts_on_draws(const Config& config, const RateVectors& train, std::size_t draws,
                                    const Dataset& train_data, const RateVectors& test, const Dataset& test_data);
// The linear read-out alone, fitted so.
FittedReadout fit_linear_readout_on_draws(const Config& config, const RateVectors& train, std::size_t draws,
                                          const Dataset& train_data);

// What one image makes a few output positions of a block fire, per channel: a raster without time, since a
// block fires once, at its window's end (docs/model.md §13). For every block that feeds another, `positions`
// consecutive positions along the middle row of its pooled map. Drawn from test-set image `index`'s own
// stream, so these are the spikes the evaluation drew for it.
struct SpikeCountRaster {
    std::size_t block = 0;  // 0-based
    std::size_t channels = 0;
    std::size_t row = 0;
    std::vector<std::size_t> columns;
    std::vector<std::uint32_t> counts;  // columns.size() x channels
    std::uint64_t block_spikes = 0;     // all of the block's output spikes for this image
};
std::vector<SpikeCountRaster> spike_count_rasters(const DeepSpikingNetwork& network, const DeepRateNetwork& shapes,
                                                  std::span<const float> image, std::uint64_t seed, std::uint64_t index,
                                                  std::size_t positions);

// A spiking pass in hardware terms per block (docs/model.md §10, §13): the exact event counts, a weight read
// per synaptic event, NeuroBench's Dense as the rate form's MACs of the same block, ActivationSparsity as the
// output units that fired no spike. The kernels' footprint and connection sparsity are the rate network's.
DeepHardware deep_spiking_hardware(const DeepRateNetwork& rate, const std::vector<SpikingBlockCounters>& counters,
                                   std::uint64_t images, const ChipParams& chip);

}  // namespace softspike
