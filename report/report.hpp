#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "run/pipeline_results.hpp"

namespace softspike {

// report.json of a train or eval run: the header (report/report_header.hpp), accuracies, confusion matrices,
// per-phase counts, hardware figures and timings, the training curves and the test rasters.
nlohmann::json report_to_json(const RunReport& report);
// The l2 the linear read-out used and, when it was chosen, every candidate's validation accuracy.
nlohmann::json linear_readout_l2_json(const ReadoutResult& readout);

// The short human summary printed on stdout.
std::string summary_table(const RunReport& report);

}  // namespace softspike
