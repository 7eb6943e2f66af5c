#pragma once
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/dataset.hpp"
#include "core/progress.hpp"
#include "network/network_model.hpp"
#include "run/config.hpp"
#include "run/phase_stats.hpp"
#include "run/training_state.hpp"

namespace softspike {

// The on-line training pass and what it measured.
struct TrainingResult {
    NetworkModel model;
    PhaseStats stats;  // over the whole pass, resumed sessions included
    // (images seen, prequential accuracy of an on-line label assignment over the last 1000 images): each
    // image is classified with the assignments learned from the images before it.
    std::vector<std::pair<std::uint64_t, double>> running_accuracy;
    // The same for an on-line linear read-out (readout/online_linear_readout.hpp), learned alongside.
    std::vector<std::pair<std::uint64_t, double>> running_accuracy_linear;
    std::uint64_t resumed_from = 0;  // images done when this session started (0: a fresh run)
};

// Called with the training state every training.checkpoint_every images and once at the end.
using CheckpointSink = std::function<void(const TrainingState&)>;

// The factor on the rule's learning rate for the image after `done` of `total` (training.learning_rate_schedule).
float learning_rate_scale(const TrainingConfig& training, std::uint64_t done, std::uint64_t total);
// One on-line pass per epoch over `data`, one sample at a time, SoftHebb on every output spike, continuing
// from `state` (images_done of them already done). The result does not depend on where a run was broken
// off and resumed: the weights, counters and running accuracy are bit-identical to an unbroken run's.
TrainingResult train(const Config& config, const Dataset& data, TrainingState state, bool show_progress,
                     const CheckpointSink& checkpoint = {}, const ProgressSink& progress_sink = {});

}  // namespace softspike
