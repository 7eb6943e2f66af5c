#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chip/chip_description.hpp"
#include "chip/core_mapping.hpp"
#include "chip/cost_table.hpp"
#include "chip/hardware_figures.hpp"
#include "network/network_model.hpp"
#include "network/spiking_conv_block.hpp"
#include "run/compare.hpp"
#include "run/config.hpp"
#include "run/deep_hardware.hpp"
#include "run/deep_spiking.hpp"
#include "run/deep_spiking_training.hpp"
#include "run/deep_training.hpp"
#include "run/evaluation.hpp"
#include "run/robustness.hpp"
#include "run/training.hpp"

namespace softspike {

// What every report's header records: the command as given, the config as run, the threads used, and the
// cost tables energy is priced under.
struct RunInfo {
    std::string command;
    Config config;
    std::size_t threads = 0;  // the thread count actually used
    double load_seconds = 0.0;
    std::vector<CostTable> cost_tables;
};

// Everything one train or eval run produced, gathered for report.json, report.html and the summary table.
// What the deep rate network's train command did: the unsupervised phase, both frozen feature passes, the
// read-outs on the features.
struct DeepReport {
    RunInfo info;
    double total_seconds = 0.0;
    DeepTrainingResult training;
    std::vector<RateCounters> train_feature_counters;  // per block, the frozen pass over the training set
    std::vector<RateCounters> test_feature_counters;
    double train_feature_seconds = 0.0;
    double test_feature_seconds = 0.0;
    std::vector<TensorShape> block_outputs;  // each block's output shape
    ReadoutResult readout;
    std::size_t train_images = 0;
    std::size_t test_images = 0;
    std::vector<std::uint8_t> test_labels;  // for the confusion matrix
    std::size_t classes = 10;
    // events: no feature pass of the training set and no read-out, only counts.
    bool events_only = false;
    std::string phase;  // events: "training (plasticity on)" or "evaluation (frozen weights)"
    // eval, events --weights: the deep weights file the kernels came from (empty: learned in this run, or the
    // initial ones). An eval run has no unsupervised phase.
    std::string weights_from;
    // The form that computed the features: the rate form, or the spiking form (docs/model.md §13) with the
    // value of one spike of the input and of each block (`spike_values`), and its counts per block and set.
    DeepForm form = DeepForm::rate;
    std::vector<double> spike_values;
    std::vector<SpikingBlockCounters> train_spiking_counters;
    std::vector<SpikingBlockCounters> test_spiking_counters;
    // Spiking form: what the first test image makes a few positions of each firing block fire.
    std::vector<SpikeCountRaster> spike_rasters;
    // The kernels learned in the spiking form (network.form spiking with train): its counts per block; the
    // unsupervised phase's images, times and curve are in `training` as for the rate form.
    std::optional<DeepSpikingTrainingResult> spiking_training;
    // Each phase's figures per block: the unsupervised phase (per training image), the feature passes.
    std::vector<std::pair<std::string, DeepHardware>> hardware;
    // The kernels at the end, every block's (patch x filters, drawn as images), and their norms.
    std::vector<NetworkModel> kernels;
    TensorShape input;
    std::vector<std::vector<float>> kernel_norms;
};

struct RunReport {
    RunInfo info;
    double total_seconds = 0.0;
    std::optional<TrainingResult> training;  // absent for eval
    FrozenPass eval_train;
    FrozenPass eval_test;
    ReadoutResult readout;
    std::size_t silent_neurons_test = 0;
    std::size_t classes = 10;
    std::vector<std::uint8_t> test_labels;
    std::vector<std::uint8_t> train_labels;
    std::size_t pixels_per_image = 0;
};

// What `softspike events` counted: one phase of the spiking form and the dense rate form of the same layer
// counted by formula, with the weights the chip held.
struct EventsReport {
    RunInfo info;
    std::string phase;    // "training (plasticity on)" or "evaluation (frozen weights)"
    std::string weights;  // the checkpoint's path, or "initial (random)"
    double seconds = 0.0;
    double total_seconds = 0.0;
    HardwareFigures spiking;
    HardwareFigures rate;
    // The tables for conventional arithmetic (those that price a MAC): the only ones the rate form is priced
    // under, since a spiking chip's per-event figures say nothing about a dense layer.
    std::vector<CostTable> arithmetic_tables;
    NetworkModel chip_weights;  // biases empty
    std::size_t pixels_per_image = 0;
    // With --chip: the chip and the layer partitioned onto its cores, with the phase's packets.
    std::optional<ChipDescription> chip;
    std::optional<CoreMapping> mapping;
};

// What `softspike compare` measured, with its header.
struct CompareReport {
    RunInfo info;
    CompareResult result;
    double rate_learning_rate = 0.0;  // the rate form's per-sample eta as lowered (0: rate form not run)
    double total_seconds = 0.0;
    std::size_t pixels_per_image = 0;
};

// What `softspike robustness` measured, with its header.
struct RobustnessReport {
    RunInfo info;
    RobustnessResult result;
    std::string weights_path;
    double total_seconds = 0.0;
};

}  // namespace softspike
