#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "run/robustness.hpp"

namespace softspike {

// The robustness measurements as report.json holds them (the caller adds command, versions, timings).
nlohmann::json robustness_to_json(const RobustnessResult& result);
// One row per perturbation and strength: what robustness.csv holds.
std::string robustness_csv(const RobustnessResult& result);
// The short human summary printed on stdout.
std::string robustness_table(const RobustnessResult& result);
// report.html: accuracy against each perturbation's strength for every model (inline SVG), and the grid of the
// strongest attack's images for SoftHebb and for the baseline side by side (inline PNG).
std::string render_robustness_report(const std::string& command, const RobustnessResult& result);

}  // namespace softspike
