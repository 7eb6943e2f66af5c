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
    std::string rule = "softhebb";
    double learning_rate = 0.01;  // eta per postsynaptic spike
    double initial_weight_norm = 20.0;
    double adaptive_power = 0.0;  // SoftHebb: eta_k = eta * |‖w_k‖ - 1|^p (0: a fixed eta)
};

// The on-line training pass.
struct TrainingConfig {
    std::size_t epochs = 1;
    bool shuffle = true;  // a seeded permutation per epoch; false keeps file order
    std::uint64_t checkpoint_every = 10000;  // images between training checkpoints (0: none)
};

// Presentation of samples with frozen weights (rate vectors for the read-outs).
struct EvaluationConfig {
    double output_rate_hz = 20000.0;  // stochastic form: the population rate while evaluating
    double temperature = 0.02;        // stochastic form: softmax temperature while evaluating
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
