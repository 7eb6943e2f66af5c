#pragma once
#include <cstdint>
#include <vector>

#include "core/dataset.hpp"
#include "network/spiking_conv_learner.hpp"
#include "rate/deep_rate_network.hpp"
#include "run/config.hpp"
#include "run/deep_training.hpp"

namespace softspike {

// What the spiking form's unsupervised phase did (docs/model.md §13, "Learning per soft-WTA spike").
struct DeepSpikingTrainingResult {
    // Per block, over the whole phase: the forward events (a block below the learning one runs again in every
    // later stage, as in the rate form) and the learning's own counts.
    std::vector<SpikingBlockCounters> forward;
    std::vector<SpikingPlasticityCounters> plasticity;
    std::uint64_t images = 0;         // training images x network.epochs: one pass of one layer
    std::uint64_t presentations = 0;  // images presented, over all stages
    double seconds = 0.0;
    std::vector<double> stage_seconds;
    std::vector<KernelNormPoint> curve;
    // The spike values the last stage's blocks below ran at ([0]: the image's; [i + 1]: block i's).
    std::vector<double> quanta;
};

// The spiking form's learning, layer by layer (network.training layer_by_layer only; SoftHebb only): for each
// block, the blocks below run as spikes with their spike values calibrated as in evaluation, the block's
// BatchNorm statistics are measured on the spikes it receives (calibration images), and its kernels learn per
// soft-WTA spike (network/spiking_conv_learner) in mini-batches of network.batch images, in the rate form's
// shuffled order. Every presentation draws its spikes from its own stream (seed, deep_learning, stage x 2^40 +
// presentation), and a batch's images are accumulated in order: the same kernels on any thread count.
// `network` holds the initial kernels and receives the learned ones and the measured statistics.
DeepSpikingTrainingResult train_deep_spiking(const Config& config, const Dataset& data, DeepRateNetwork& network,
                                             bool show_progress);

// Per block, the phase's counts as a chip would spend them: the forward events, the soft-WTA spikes added to the
// output spikes, the per-spike accumulates and the per-batch weight writes as plasticity updates.
std::vector<SpikingBlockCounters> spiking_training_counters(const DeepSpikingTrainingResult& result);

// The phase's images, presentations, times and kernel-norm curve in the rate form's record (no rate counters).
DeepTrainingResult as_training_record(const DeepSpikingTrainingResult& result);

// Empty when `config` can learn in the spiking form; otherwise what cannot, naming the key.
std::string spiking_training_problem(const Config& config);

}  // namespace softspike
