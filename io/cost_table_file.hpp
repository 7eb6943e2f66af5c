#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chip/cost_table.hpp"

namespace softspike {

// Validates like the config: an unknown category or key, a missing source, a negative or non-finite cost is
// a ConfigError naming the file and the key.
CostTable parse_cost_table(const nlohmann::json& document, const std::string& source);
CostTable load_cost_table(const std::filesystem::path& path);
// Every *.json in `dir`, sorted by file name.
std::vector<CostTable> load_cost_tables(const std::filesystem::path& dir);
// The tables shipped with softspike (configs/cost_tables in the source tree).
std::filesystem::path default_cost_table_dir();

}  // namespace softspike
