#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "core/counters.hpp"
#include "network/network_model.hpp"
#include "readout/online_label_assignment.hpp"
#include "readout/online_linear_readout.hpp"
#include "run/config.hpp"

namespace softspike {

// Everything the on-line training pass carries from one image to the next: what a training checkpoint
// holds and what a resumed run starts from. There is no generator state to keep: every image draws from
// its own stream, derived from (seed, image number), and every epoch's order from (seed, epoch), so the
// number of images done fixes the random state. Neuron state (membranes, traces) is cleared at each
// image, so between images it is all in the model's biases.
struct TrainingState {
    NetworkModel model;
    std::uint64_t images_done = 0;              // over all epochs
    EventCounters counters;                     // of the images done
    double seconds = 0.0;                       // training time spent on them, summed over resumed sessions
    std::vector<double> rule_state;             // PlasticityRule::state()
    OnlineLabelAssignment::State online;        // empty counts: not started
    std::vector<std::uint8_t> window_outcomes;  // the running accuracy's window, oldest first
    std::vector<std::pair<std::uint64_t, double>> running_accuracy;  // (images done, running accuracy)
    // The same for the on-line linear read-out (empty weights: not started).
    OnlineLinearReadout::State linear;
    std::vector<std::uint8_t> linear_window_outcomes;
    std::vector<std::pair<std::uint64_t, double>> running_accuracy_linear;
};

// A training checkpoint read back: the config it was written under and where training stood.
struct ResumePoint {
    Config config;
    TrainingState state;
};

}  // namespace softspike
