#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chip/cost_table.hpp"
#include "chip/hardware_figures.hpp"

namespace softspike {

// A phase's hardware figures for report.json: exact counts (totals and per image), memory traffic, the
// NeuroBench metrics under NeuroBench's names, and the energy under every cost table, per category and
// per image, with each table's sources.
nlohmann::json hardware_json(const HardwareFigures& figures, const std::vector<CostTable>& tables);

// The same as a text table for the terminal: one row per count, one energy column per table (nJ per image).
std::string hardware_table(const std::string& title, const HardwareFigures& figures,
                           const std::vector<CostTable>& tables);

}  // namespace softspike
