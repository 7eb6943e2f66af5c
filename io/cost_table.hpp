#pragma once
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/hardware_figures.hpp"

namespace softspike {

// One priced operation: picojoules per unit and where the figure comes from.
struct CostEntry {
    double pj = 0.0;
    std::string source;
};

// An energy cost table (configs/cost_tables/*.json): picojoules per counted operation, each with its source.
// Categories a table does not list cost nothing under it; an all-in table's entries already include
// everything else (memory, neuron updates), so nothing may be added on top.
struct CostTable {
    std::string name;
    std::string description;
    std::string source;
    bool all_in = false;
    std::map<std::string, CostEntry> costs_pj;
};

// Energy of a phase under one table: per category and in total, in picojoules.
struct EnergyEstimate {
    std::string table;
    std::vector<std::pair<std::string, double>> pj_by_category;  // the categories the table prices
    double total_pj = 0.0;
};

// Validates like the config: an unknown category or key, a missing source, a negative or non-finite cost is
// a ConfigError naming the file and the key.
CostTable parse_cost_table(const nlohmann::json& document, const std::string& source);
CostTable load_cost_table(const std::filesystem::path& path);
// Every *.json in `dir`, sorted by file name.
std::vector<CostTable> load_cost_tables(const std::filesystem::path& dir);
// The tables shipped with softspike (configs/cost_tables in the source tree).
std::filesystem::path default_cost_table_dir();

// counts x table entries, category by category.
EnergyEstimate estimate_energy(const HardwareFigures& figures, const CostTable& table);

}  // namespace softspike
