#pragma once
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/chip_params.hpp"
#include "decoder/linear_readout.hpp"
#include "neurons/encoder_params.hpp"
#include "neurons/population_params.hpp"

namespace softspike {

// Where the data comes from.
struct DataConfig {
    std::string dir = "/usr/share/datasets/fashion-mnist";
    std::size_t train_images = 60000;  // the first N of the training split (0: all)
    std::size_t test_images = 10000;   // the first N of the test split (0: all)
};

// Which plasticity rule learns the input projection, and how the weights start.
struct PlasticityConfig {
    std::string rule = "softhebb";  // softhebb, hebb, oja, instar (both forms) or stdp (spiking only)
    double learning_rate = 0.01;    // eta per postsynaptic spike
    double initial_weight_norm = 20.0;
    double adaptive_power = 0.0;  // SoftHebb: eta_k = eta * |‖w_k‖ - 1|^p (0: a fixed eta)
    // STDP only: depression per presynaptic spike relative to eta, the post trace's time constant, and the
    // hard weight bounds.
    double stdp_depression = 0.5;
    double stdp_tau_ms = 20.0;
    double weight_min = 0.0;
    double weight_max = 1.0;
};

// What the layers of the rate model pass on and what its read-outs see.
enum class RateFeatures : std::uint8_t {
    softmax,   // y = softmax(u / feature_temperature): what spike counts estimate
    triangle,  // max(0, u_k - mean_l u_l), the multilayer SoftHebb paper's activation
};

// The dense rate form of the network (model.md §1), built from the same config as the spiking one: the
// first layer is population.neurons wide and learns with plasticity.rule from the same initial weights.
struct RateConfig {
    std::vector<std::size_t> hidden_layers;  // soft-WTA layers stacked on the first, each learning locally
    std::size_t batch = 1;                   // 1: on-line, like the spiking form; more: mini-batches (mean update)
    std::size_t epochs = 0;                  // 0: training.epochs
    // Per-sample eta; 0 derives it from the spiking form: plasticity.learning_rate times the expected output
    // spikes of a training presentation, so that both forms take the same expected step per image.
    double learning_rate = 0.0;
    double temperature = 0.0;  // softmax temperature while learning; 0: population.temperature
    bool anti_hebbian = false;  // multilayer SoftHebb: non-winners learn with -y_k
    bool learn_biases = false;  // SoftHebb's log-prior bias rule db_k = eta_b (e^{-b_k} y_k - 1)
    double bias_learning_rate = 0.001;
    RateFeatures features = RateFeatures::softmax;
    double feature_temperature = 0.0;  // softmax features; 0: evaluation.temperature
};

// What `softspike compare` runs besides the two trainings.
struct CompareConfig {
    // The accuracy-versus-cost sweep: the spike-trained model evaluated with these input spike budgets
    // (chip.spike_budget; 0 is no budget).
    std::vector<std::uint32_t> spike_budgets = {100, 200, 400, 800, 1600, 0};
    bool transfer = true;  // also evaluate each form with the other's weights
};

// How the plasticity rule's learning rate changes over a training run.
enum class LearningRateSchedule { constant, linear, cosine };

// The on-line training pass.
struct TrainingConfig {
    std::size_t epochs = 1;
    bool shuffle = true;  // a seeded permutation per epoch; false keeps file order
    std::uint64_t checkpoint_every = 10000;  // images between training checkpoints (0: none)
    // Over the run's images the rule's rate goes from plasticity.learning_rate down to final_learning_rate
    // times it, linearly or on a half cosine; constant keeps it.
    LearningRateSchedule learning_rate_schedule = LearningRateSchedule::constant;
    double final_learning_rate = 0.1;  // a fraction of plasticity.learning_rate
};

// Presentation of samples with frozen weights (rate vectors for the read-outs).
struct EvaluationConfig {
    double output_rate_hz = 40000.0;  // stochastic form: the population rate while evaluating
    double temperature = 0.03;        // stochastic form: softmax temperature while evaluating
    // Stochastic form: "random" draws each winner independently; "low_discrepancy" spreads a sample's draws
    // evenly (PopulationParams::low_discrepancy).
    bool low_discrepancy = true;
};

// The linear softmax-regression read-out trained on rate vectors.
using ReadoutConfig = LinearReadoutParams;

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
    PlasticityConfig plasticity;
    TrainingConfig training;
    EvaluationConfig evaluation;
    ReadoutConfig readout;
    RateConfig rate;
    CompareConfig compare;
    ChipParams chip;
    OutputConfig output;
};

// Reads a JSON file; a parse error names the file and the byte.
nlohmann::json read_json_file(const std::filesystem::path& path);
// The same for JSON text in memory; `source` names it in messages.
nlohmann::json parse_json_text(std::string_view text, const std::string& source);

// Applies "a.b.c=value" to a JSON document; value is parsed as JSON, or taken as a string if it is not JSON.
void apply_override(nlohmann::json& document, const std::string& assignment);

// Validates and converts; `source` names the file in messages. An unknown key, a wrong type or a value out
// of range is a ConfigError naming the key path, what was expected and what was found. Absent keys keep
// their defaults.
Config parse_config(const nlohmann::json& document, const std::string& source);

// The config as run, every key present: what report.json records and what parse_config reads back.
nlohmann::json config_to_json(const Config& config);

// read_json_file + every override + parse_config.
Config load_config(const std::filesystem::path& path, const std::vector<std::string>& overrides);

}  // namespace softspike
