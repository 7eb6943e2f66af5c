#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "chip/cost_table.hpp"
#include "run/experiment.hpp"

namespace softspike {

// Everything one train or eval run produced, gathered for report.json and the summary table.
struct RunReport {
    std::string command;  // the command line as given
    Config config;
    std::size_t threads = 0;  // the thread count actually used
    double load_seconds = 0.0;
    double total_seconds = 0.0;
    std::optional<TrainingResult> training;  // absent for eval
    FrozenPass eval_train;
    FrozenPass eval_test;
    ReadoutResult readout;
    std::size_t silent_neurons_test = 0;
    std::size_t classes = 10;
    std::vector<std::uint8_t> test_labels;
    std::vector<std::uint8_t> train_labels;
    std::vector<CostTable> cost_tables;  // energy is reported under each
};

// The versions of softspike and of the libraries it was built with.
nlohmann::json build_versions();

// Peak resident set size of this process so far, in MiB.
double peak_rss_mib();

nlohmann::json report_to_json(const RunReport& report);

// Writes report.json into `dir` atomically.
void write_report(const std::filesystem::path& dir, const RunReport& report);

// The short human summary printed on stdout.
std::string summary_table(const RunReport& report);

}  // namespace softspike
