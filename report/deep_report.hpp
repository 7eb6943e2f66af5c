#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "run/pipeline_results.hpp"

namespace softspike {

// report.json of a deep network's train run: accuracy, the chosen l2, times and rates of each phase, and per
// block its output shape and counts (forward MACs, plasticity MACs and synapse updates, per image).
nlohmann::json deep_report_to_json(const DeepReport& report);

// The summary printed at the end of a deep run.
// The cost tables a deep report prices with: those that price a MAC for the rate form (a spiking chip's
// per-event table says nothing about a dense convolution), every table for the spiking form.
std::vector<CostTable> deep_cost_tables(const DeepReport& report);

std::string deep_summary(const DeepReport& report);

}  // namespace softspike
