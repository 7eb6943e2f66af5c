#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/dataset.hpp"
#include "network/network_model.hpp"
#include "rate/deep_rate_network.hpp"
#include "run/config.hpp"

namespace softspike {

// The test set's accuracies under one perturbation at one strength.
struct RobustnessPoint {
    std::string perturbation;  // "noise", "fgsm" or "pgd"
    double strength = 0.0;     // the noise's sd, or the attack's epsilon
    // Noise: every model sees the same noisy images. Attacks: each model is attacked through its own gradients
    // (white box); the spiking form is shown the images attacked through its rate form, its expectation.
    double softhebb_rate = 0.0;
    double softhebb_spiking = -1.0;  // -1: robustness.spiking is false
    double baseline = 0.0;
    // Attacks only (-1 for noise): each model on the images attacked through the other (transfer).
    double softhebb_on_baseline_images = -1.0;
    double baseline_on_softhebb_images = -1.0;
    // The mean L2 norm of the perturbation per image, on the images of SoftHebb's attack and the baseline's.
    double softhebb_perturbation_l2 = 0.0;
    double baseline_perturbation_l2 = 0.0;
};

// How the baseline's number of passes was chosen, and its training losses.
struct BaselineFit {
    std::size_t epochs = 0;                   // passes of the final training on every image
    std::vector<double> validation_accuracy;  // per pass of the first training (empty: no validation split)
    std::vector<double> losses;               // mean cross-entropy per pass of the final training
};

// Clean test accuracy of networks that learned from the first `images` training images only.
struct SampleEfficiencyPoint {
    std::size_t images = 0;
    double softhebb_spiking = 0.0;      // trained and read out in the spiking form
    double softhebb_rate = 0.0;         // trained and read out in the rate form (rate.*)
    double baseline_same_passes = 0.0;  // training.epochs passes, as SoftHebb
    double baseline_more_passes = 0.0;  // passes chosen on validation, up to robustness.baseline_epochs
    std::size_t baseline_more_epochs = 0;
    double seconds = 0.0;
};

// The first test images under the strongest attack run, for report.html's side-by-side grid.
struct AttackGrid {
    std::string attack;  // "fgsm" or "pgd"
    double epsilon = 0.0;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<std::uint8_t> labels;
    std::vector<float> clean;            // images x rows*cols (first channel)
    std::vector<float> softhebb_images;  // attacked through SoftHebb's rate form
    std::vector<std::uint8_t> softhebb_predictions;
    std::vector<float> baseline_images;  // attacked through the baseline
    std::vector<std::uint8_t> baseline_predictions;
};

// What `softspike robustness` measured.
struct RobustnessResult {
    std::vector<RobustnessPoint> points;
    double softhebb_readout_l2 = 0.0;                  // the rate form's read-out
    double softhebb_spiking_readout_l2 = 0.0;          // the spiking form's read-out
    std::vector<double> baseline_epoch_loss;           // mean training cross-entropy per pass of the final training
    std::size_t baseline_epochs = 0;                   // the passes it was trained for (chosen on validation, or all)
    std::vector<double> baseline_validation_accuracy;  // per pass of the first training, on the held-out images
    double baseline_train_accuracy = 0.0;
    double spiking_events_per_image = 0.0;  // synaptic events per clean test image in the spiking form
    std::uint64_t macs_per_image = 0;       // the rate form's (and the baseline's hidden layer's) forward MACs
    AttackGrid grid;
    std::vector<SampleEfficiencyPoint> sample_efficiency;  // one per robustness.training_sizes
    std::size_t baseline_same_passes_epochs = 0;           // training.epochs
    double features_seconds = 0.0;                         // the SoftHebb forms' training-set features and read-outs
    double baseline_seconds = 0.0;
    double noise_seconds = 0.0;
    double attack_seconds = 0.0;
    double sample_efficiency_seconds = 0.0;
    std::size_t test_images = 0;
    std::string evaluation_set = "test";  // "validation" when data.validation_images holds images out
    std::string model;                    // what SoftHebb network was attacked
    std::string baseline_model;           // the baseline's shape besides SoftHebb's
};

// Empty when `config` is one run_robustness (or, with network.layers, run_deep_robustness) takes; otherwise what it
// does not take, naming the key and what was found: stacked rate layers (the weights file holds one layer),
// pruning in a deep network (the baseline has none), and the chip keys that would change the spiking form's
// weights or images but not the rate form's, so that the forms would be compared on different networks.
std::string robustness_problem(const Config& config);

// SoftHebb's robustness against a backpropagation baseline of the same shape: fits the read-outs of the
// trained single-layer `weights` in the rate form (and the spiking form, with robustness.spiking) on `train`,
// trains the baseline end to end on `train`, then scores all of them on `test` under the pixel noise and the
// attacks of config.robustness. Deterministic for a config and seed, whatever the thread count.
RobustnessResult run_robustness(const Config& config, const NetworkModel& weights, const Dataset& train,
                                const Dataset& test, bool show_progress);

// The same for a deep network (config.network.layers) attacked through its rate form: its read-out fitted on
// `train`'s features, a backpropagation baseline of the same blocks (BackpropConvNetwork) trained end to end, and
// the few-examples sweep with fresh deep networks in the rate form. With robustness.spiking, the spiking twin of the
// same blocks (deep_spiking_twin) is shown the images attacked through the rate form.
RobustnessResult run_deep_robustness(const Config& config, const DeepRateNetwork& network, const Dataset& train,
                                     const Dataset& test, bool show_progress);

}  // namespace softspike
