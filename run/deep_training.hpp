#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/dataset.hpp"
#include "network/spiking_conv_learner.hpp"
#include "rate/deep_rate_network.hpp"
#include "readout/rate_vectors.hpp"
#include "run/config.hpp"

namespace softspike {

// The deep network's input shape for a data set: its channels x rows x cols.
TensorShape deep_input_shape(const Dataset& data);

// The network of config.network.layers with its initial kernels; a layer that does not fit the one below
// is a ConfigError naming "network.layers[i].key".
DeepRateNetwork initial_deep_network(const Config& config, const Dataset& data);

// One point of the unsupervised phase's learning curve: a learning block's kernel norms after `images`
// training images of its stage. SoftHebb moves every kernel's norm from the initial radius towards 1, so the
// norms' mean and spread show how far learning has gone (there are no labels to score).
struct KernelNormPoint {
    std::size_t block = 0;
    std::uint64_t images = 0;
    double mean = 0.0;
    double sd = 0.0;
    double min = 0.0;
    double max = 0.0;
};

// The stream that rounds block `block`'s kernels onto the chip's grid while they learn (both forms).
[[nodiscard]] Rng learning_rounding_stream(std::uint64_t seed, std::size_t block);

// The mean, sd, min and max of `norms` (after `images` images of `block`'s stage).
KernelNormPoint kernel_norm_point(std::size_t block, std::uint64_t images, const std::vector<float>& norms);

// Points of the learning curve per stage: at the start, then after every 1/kCurvePoints of the stage's images.
inline constexpr std::size_t kCurvePoints = 40;

// When a stage of `stage_images` images takes its next learning-curve point, in both forms' training.
class CurveSchedule {
public:
    explicit CurveSchedule(std::size_t stage_images) : stage_images_(stage_images) {}
    // True once `done` images have passed another 1/kCurvePoints of the stage (the last at its end); each point
    // is due once, however many a batch passes.
    bool due(std::size_t done) {
        if (done * kCurvePoints < (next_ + 1) * stage_images_) return false;
        while (done * kCurvePoints >= (next_ + 1) * stage_images_) ++next_;
        return true;
    }

private:
    std::size_t stage_images_;
    std::size_t next_ = 0;  // of kCurvePoints
};

// What the unsupervised phase did.
struct DeepTrainingResult {
    std::vector<RateCounters> counters;  // per block: forward MACs, plasticity MACs and updates
    std::uint64_t images = 0;            // training images x network.epochs: what one pass of all layers sees
    std::uint64_t presentations = 0;     // images presented to the network (each layer's passes count again)
    double seconds = 0.0;
    std::vector<double> stage_seconds;   // layer by layer: each block's own passes; all at once: one entry
    std::vector<KernelNormPoint> curve;  // the learning blocks' kernel norms through each stage
    std::size_t resumed_stages = 0;      // stages done before this session (0: a fresh run)
};

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
    std::size_t resumed_stages = 0;  // stages done before this session (0: a fresh run)
};

// Where an unsupervised phase stands after a stage (layer by layer: one block's passes; all at once: the
// whole phase): what OUT/deep_state.ckpt holds and what `train --resume` continues from. The stages are
// independent given the blocks' state, so a run resumed here ends bit-identical to an unbroken one.
struct DeepTrainingState {
    std::size_t stages_done = 0;
    DeepTrainingResult result;  // so far: counters, presentations, seconds, stage times, curve
    DeepWeights weights;
    // A spiking-form run (network.form spiking): its own record so far, beside `result`'s images and times.
    std::optional<DeepSpikingTrainingResult> spiking;
};

// A deep run to resume: the config it ran with and where it stood.
struct DeepResumePoint {
    Config config;
    DeepTrainingState state;
};

// order = 0 .. order.size() - 1, shuffled for `epoch` when training.shuffle is on (from (seed, epoch) alone,
// so that a resumed stage sees the same order): the image order of every deep training pass, in both forms.
void epoch_order(const Config& config, std::size_t epoch, std::vector<std::size_t>& order);

// Called at the end of every stage, e.g. to write the training checkpoint.
using DeepCheckpointSink = std::function<void(const DeepTrainingState&)>;

// network.epochs passes over `data` in mini-batches of network.batch, shuffled per epoch as the spiking
// form's order; layer by layer (one series of passes per block, the blocks below frozen) or all at once.
// With `resume`, `network` must already hold resume->weights; the stages it has done are skipped and its
// result is continued.
DeepTrainingResult train_deep(const Config& config, const Dataset& data, DeepRateNetwork& network, bool show_progress,
                              const DeepTrainingState* resume = nullptr, const DeepCheckpointSink& sink = {});

// The frozen network's features of every image, in fixed blocks of images: the numbers do not depend on
// the thread count.
struct DeepFeatures {
    RateVectors features;
    std::vector<RateCounters> counters;
    double seconds = 0.0;
};
DeepFeatures deep_features(const DeepRateNetwork& network, const Dataset& data, const char* phase, bool show_progress);

}  // namespace softspike
