#pragma once
#include <cstdint>
#include <vector>

#include "core/dataset.hpp"
#include "rate/deep_rate_network.hpp"
#include "run/config.hpp"
#include "run/deep_training.hpp"

namespace softspike {

// The spiking form's learning, layer by layer (network.training layer_by_layer only; SoftHebb only): for each
// block, the blocks below run as spikes with their spike values calibrated as in evaluation, the block's
// BatchNorm statistics are measured on the spikes it receives (calibration images), and its kernels learn per
// soft-WTA spike (network/spiking_conv_learner) in mini-batches of network.batch images, in the rate form's
// shuffled order. Every presentation draws its spikes from its own stream (seed, deep_learning, stage x 2^40 +
// presentation), and a batch's images are accumulated in order: the same kernels on any thread count.
// `network` holds the initial kernels and receives the learned ones and the measured statistics. `sink` is called
// at the end of every stage (for OUT/deep_state.ckpt); with `resume` (its `spiking` record set), `network` must
// already hold resume->weights, the stages done are skipped, and the run ends bit-identical to an unbroken one.
DeepSpikingTrainingResult train_deep_spiking(const Config& config, const Dataset& data, DeepRateNetwork& network,
                                             bool show_progress, const DeepTrainingState* resume = nullptr,
                                             const DeepCheckpointSink& sink = {});

// Per block, the phase's counts as a chip would spend them: the forward events, the soft-WTA spikes added to the
// output spikes, the per-spike accumulates and the per-batch weight writes as plasticity updates.
std::vector<SpikingBlockCounters> spiking_training_counters(const DeepSpikingTrainingResult& result);

// The phase's images, presentations, times and kernel-norm curve in the rate form's record (no rate counters).
DeepTrainingResult as_training_record(const DeepSpikingTrainingResult& result);

// Empty when `config` can learn in the spiking form; otherwise what cannot, naming the key.
std::string spiking_training_problem(const Config& config);

}  // namespace softspike
