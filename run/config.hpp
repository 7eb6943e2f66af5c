#pragma once
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "chip/chip_params.hpp"
#include "network/deep_spiking_network.hpp"
#include "network/spiking_conv_learner.hpp"
#include "neurons/encoder_params.hpp"
#include "neurons/population_params.hpp"
#include "plasticity/plasticity_params.hpp"
#include "rate/adversarial.hpp"
#include "rate/backprop_network.hpp"
#include "rate/conv_block.hpp"
#include "rate/rate_params.hpp"
#include "readout/linear_readout.hpp"

namespace softspike {

// The file format of a data set, with its official split's file names.
enum class DataFormat {
    idx,      // (Fashion-)MNIST: train-images-idx3-ubyte.gz and t10k-* (io/dataset_loader.hpp)
    cifar10,  // CIFAR-10 binary: data_batch_1..5.bin, test_batch.bin (io/cifar10_reader.hpp)
    stl10,    // STL-10 binary: train_X.bin, train_y.bin, test_* (io/stl10_reader.hpp)
};

// Where the data comes from.
struct DataConfig {
    std::string dir = "/usr/share/datasets/fashion-mnist";
    DataFormat format = DataFormat::idx;
    std::size_t train_images = 60000;  // the first N of the training split (0: all)
    std::size_t test_images = 10000;   // the first N of the test split (0: all)
    // > 0: the last N images of the training split are held out and evaluated instead of the test split (for
    // choosing settings without seeing the test set); train_images then counts from the start of the rest.
    std::size_t validation_images = 0;
};

// What the reports call the evaluated images: "validation" when they are held out of the training split.
inline const char* evaluation_set_name(const DataConfig& data) {
    return data.validation_images > 0 ? "validation" : "test";
}

// What `softspike compare` runs besides the two trainings.
struct CompareConfig {
    // The accuracy-versus-cost sweeps of the spike-trained model. Input: these chip.spike_budget values (the
    // earliest spikes of the training code; 0 is no budget) ...
    std::vector<std::uint32_t> spike_budgets;
    // ... and these evaluation.spikes_per_image values (the fixed-count code; 0: the training code).
    std::vector<std::uint32_t> input_spikes = {100, 200, 400, 784, 1568};
    // Output: these output draws per test image, read out as spike counts (evaluation.output_rate_hz set to
    // draws / (presentation_ms - onset_ms)); 0 is the drive read-out, which draws none.
    std::vector<std::uint32_t> output_draws = {30, 100, 300, 1200, 0};
    bool transfer = true;  // also evaluate each form with the other's weights
    // Deep networks: each spiking map's budget in turn (the image's input_spikes_per_pixel, then each block's
    // spikes_per_unit but the last's) set to these values, the others as configured: the accuracy-versus-
    // synaptic-events curve per layer of the spike-trained network.
    std::vector<double> deep_budgets = {0.5, 2.0};
};

// What `softspike robustness` measures (SoftHebb against a backpropagation baseline of the same shape).
struct RobustnessConfig {
    // Gaussian pixel noise of these standard deviations (intensity units, clamped to [0, 1]) on the test images.
    std::vector<double> noise_sigmas = {0.0, 0.1, 0.2, 0.3, 0.4, 0.6};
    // L-infinity radii of the attacks, in intensity units (pixels lie in [0, 1]).
    std::vector<double> epsilons = {0.0, 0.01, 0.02, 0.05, 0.1, 0.2};
    std::vector<AttackKind> attacks = {AttackKind::fgsm, AttackKind::pgd};
    std::size_t pgd_steps = 10;
    double pgd_step_fraction = 0.25;           // PGD's step, a fraction of epsilon
    bool spiking = true;                       // also the spiking form on every perturbed test set
    BackpropParams baseline = {30, 1e-3, 64};  // the backpropagation baseline's training (epochs: at most)
    // The baseline's passes are chosen (up to baseline.epochs) on this fraction of its training images, held out
    // of a first training; it is then trained again on all of them. 0: baseline.epochs passes on all.
    double baseline_validation_fraction = 0.1;
    std::size_t grid_images = 8;  // test images shown per model in report.html's grid of the strongest attack
    // Learning from few examples: for each n, fresh networks learn from the first n training images only (SoftHebb
    // in both forms for training.epochs passes, the read-outs on the same n labelled images; the baseline for
    // training.epochs passes and for baseline_epochs passes), and are scored on the clean test set. Empty: skipped.
    std::vector<std::uint32_t> training_sizes = {100, 300, 1000, 3000, 10000, 30000, 60000};
};

// How the plasticity rule's learning rate changes over a training run.
enum class LearningRateSchedule { constant, linear, cosine };

// The on-line training pass.
struct TrainingConfig {
    std::size_t epochs = 1;
    bool shuffle = true;                     // a seeded permutation per epoch; false keeps file order
    std::uint64_t checkpoint_every = 10000;  // images between training checkpoints (0: none)
    // Over the run's images the rule's rate goes from plasticity.learning_rate down to final_learning_rate
    // times it, linearly or on a half cosine; constant keeps it.
    LearningRateSchedule learning_rate_schedule = LearningRateSchedule::constant;
    double final_learning_rate = 0.1;  // a fraction of plasticity.learning_rate
};

// What the read-outs are given for each evaluation presentation.
enum class EvaluationSignal : std::uint8_t {
    spike_counts,  // the output spike count of every neuron
    drive,         // softmax(u / temperature) of the membrane drives at the window's end (no output draws)
};

// Presentation of samples with frozen weights (rate vectors for the read-outs).
struct EvaluationConfig {
    double output_rate_hz = 40000.0;  // stochastic form: the population rate while evaluating
    double temperature = 0.03;        // stochastic form: softmax temperature while evaluating
    // Stochastic form: "random" draws each winner independently; "low_discrepancy" spreads a sample's draws
    // evenly (PopulationParams::low_discrepancy).
    bool low_discrepancy = true;
    // 0: images are encoded as in training (encoder.*); K > 0: by the fixed-count code with K spikes each, so
    // that one test image costs K x neurons synaptic events.
    std::uint32_t spikes_per_image = 784;
    EvaluationSignal signal = EvaluationSignal::drive;
    // 0: encoder.trace_tau_ms. The traces' and membranes' time constant while evaluating: one much longer than
    // the window makes the membranes integrate it, weighing every input spike alike (docs/model.md §8).
    double trace_tau_ms = 1000.0;
    // The drive read-out's features: softmax(u / temperature), the spike counts' expectation, or the triangle
    // max(0, u_k - mean_l u_l) of the multilayer SoftHebb paper.
    RateFeatures drive_features = RateFeatures::softmax;
};

// The linear softmax-regression read-out trained on rate vectors.
using ReadoutConfig = LinearReadoutParams;

// How the blocks of a deep network learn: each while the ones below it are frozen, or all in one pass.
enum class DeepTraining : std::uint8_t { layer_by_layer, all_at_once };

// Which form computes a deep network's features: the rate form, or the spiking form (docs/model.md §13) with
// the same kernels, each block's activation carried by spikes.
enum class DeepForm : std::uint8_t { rate, spiking };

// A deep convolutional rate network (docs/model.md §12); empty `layers`: the single-layer network.
struct NetworkConfig {
    std::vector<ConvBlockParams> layers;
    DeepTraining training = DeepTraining::layer_by_layer;
    std::size_t batch = 10;  // images per plasticity step
    std::size_t epochs = 1;  // unsupervised passes over the training set (per layer, layer by layer)
    DeepForm form = DeepForm::rate;
    // Spiking form: the image's spikes per pixel, on average over the calibration images (each block's own
    // budget is its layer's spikes_per_unit).
    double input_spikes_per_pixel = 1.0;
    std::size_t calibration_images = 500;  // training images that set the spikes' values (the first ones)
    // What the read-out sees of the last block in the spiking form: its activation at the end of the window
    // (from its spike-driven drive), or its spikes.
    DeepSpikingNetwork::Features spiking_features = DeepSpikingNetwork::Features::activation;
    // Spiking form: the BatchNorm statistics of blocks 2 and up measured on the spikes they receive (on the
    // calibration images) instead of the rate form's running statistics.
    bool spiking_batch_norm = false;
    // Spiking form: the read-out learns from this many independent spike draws of every training image, so it
    // meets the sampling noise it will see; a test image still costs one draw.
    std::size_t feature_draws = 1;
    // Spiking form's learning: how a position's channels compete for the learning spikes (docs/model.md §13):
    // drawn from the softmax, or as escape-noise LIF neurons with lateral inhibition, run for lif_window_ms
    // after the window's input, their inhibition decaying with lif_inhibition_tau_ms, at loop gain
    // lif_loop_gain; the threshold follows the block's free energies, the rate is learning_spikes per window.
    Competition competition = Competition::stochastic;
    double lif_window_ms = 20.0;
    double lif_inhibition_tau_ms = 20.0;
    double lif_loop_gain = 20.0;
};

// What a run writes.

struct OutputConfig {
    std::string dir = "runs/default";
    std::size_t raster_samples = 2;  // test images whose full spike raster goes into the reports
};

// A whole run, as read from JSON and validated by parse_config.
struct Config {
    std::string description;  // free text: what the config is for, what it reached with which seed
    std::uint64_t seed = 1;
    std::size_t threads = 0;  // 0: every core
    DataConfig data;
    EncoderParams encoder;
    PopulationParams population;
    PlasticityParams plasticity;
    TrainingConfig training;
    EvaluationConfig evaluation;
    ReadoutConfig readout;
    RateParams rate;
    CompareConfig compare;
    RobustnessConfig robustness;
    ChipParams chip;
    NetworkConfig network;
    OutputConfig output;
};

// Applies "a.b.c=value" to a JSON document; value is parsed as JSON, or taken as a string if it is not JSON.
void apply_override(nlohmann::json& document, const std::string& assignment);

// Validates and converts; `source` names the file in messages. An unknown key, a wrong type or a value out
// of range is a ConfigError naming the key path, what was expected and what was found. Absent keys keep
// their defaults.
Config parse_config(const nlohmann::json& document, const std::string& source);

// The config as run, every key present: what report.json records and what parse_config reads back.
nlohmann::json config_to_json(const Config& config);

}  // namespace softspike
