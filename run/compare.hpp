#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/dataset.hpp"
#include "rate/deep_weights.hpp"
#include "run/config.hpp"
#include "run/rate_training.hpp"
#include "run/training.hpp"

namespace softspike {

// One evaluated configuration of the comparison: a form, the weights it ran with, and what it cost per
// test image.
struct ComparePoint {
    std::string form;     // "spiking" or "rate"
    std::string weights;  // "spike-trained" or "rate-trained"
    // Which sweep the point belongs to: "" (a main point), "spike_budget", "input_spikes" or "output_draws".
    std::string sweep;
    // Spiking: the evaluation's settings, chip.spike_budget (0: none), evaluation.spikes_per_image (0: the
    // training code) and evaluation.signal ("spike_counts" or "drive").
    std::uint32_t spike_budget = 0;
    std::uint32_t spikes_per_image = 0;
    std::string signal;
    // Deep networks: the spiking evaluation's budgets in words (input spikes per pixel, spikes per unit), and
    // per block the synaptic events (spiking) or MACs (rate) per test image.
    std::string setting;
    double budget = 0.0;  // a deep sweep point: the budget its map was set to
    std::vector<double> block_ops;
    double linear_accuracy = 0.0;
    double linear_train_accuracy = 0.0;  // the linear read-out on the training set it was fitted on
    double readout_l2 = 0.0;             // its l2 (chosen on a validation split when readout.l2_candidates is set)
    double label_assignment_accuracy = 0.0;
    // Per test image. Spiking: input spikes, synaptic events (one weight read + accumulate each) and those
    // through nonzero weights; rate: multiply-accumulates (dense) and those with a nonzero input.
    double input_spikes = 0.0;
    double output_spikes = 0.0;  // spiking: the population's output draws (0 for the drive read-out)
    double synaptic_events = 0.0;
    double effective_ops = 0.0;
    double macs = 0.0;
    double eval_seconds = 0.0;  // the test-set pass
};

// How one form trained: per training image, and in all.
struct CompareTraining {
    std::string form;
    std::uint64_t images = 0;
    double seconds = 0.0;
    double synaptic_events = 0.0;     // spiking; rate: forward MACs
    double plasticity_updates = 0.0;  // synapse read-modify-writes
    double plasticity_macs = 0.0;     // rate: the Hebbian product; spiking: equal to the updates
    std::vector<std::pair<std::uint64_t, double>> running_accuracy;
};

// Everything `softspike compare` measured.
struct CompareResult {
    std::vector<CompareTraining> training;
    // The two forms with their own weights, then (compare.transfer) each with the other's weights.
    std::vector<ComparePoint> points;
    // The spike-trained spiking model over compare.spike_budgets, compare.input_spikes and
    // compare.output_draws (accuracy versus synaptic events and output draws).
    std::vector<ComparePoint> sweep;
    std::optional<TrainingResult> spiking;   // the spiking training, when that form ran
    std::optional<RateTrainingResult> rate;  // the rate training, when that form ran
    // Deep networks: the kernels each form learned (saved as deep_weights_rate.ckpt, deep_weights_spiking.ckpt).
    std::optional<DeepWeights> deep_rate;
    std::optional<DeepWeights> deep_spiking;
};

// Which forms to run.
struct CompareForms {
    bool spiking = true;
    bool rate = true;
};

// Trains and evaluates the forms from one config and seed, then transfers weights and sweeps spike budgets.
CompareResult run_compare(const Config& config, const Dataset& train_data, const Dataset& test_data,
                          const CompareForms& forms, bool show_progress);

}  // namespace softspike
