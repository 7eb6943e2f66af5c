#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "run/compare.hpp"

namespace softspike {

// The smallest swept spike budget at which the spike-trained spiking model's linear read-out comes within
// `margin` (a fraction: 0.01 is one percentage point) of the rate model's own; none when no swept budget
// does or either form is missing. Budget 0 (no budget) counts as the largest.
std::optional<std::uint32_t> smallest_budget_within(const CompareResult& result, double margin);

// The comparison as report.json holds it (the caller adds command, versions, timings).
nlohmann::json compare_to_json(const CompareResult& result);

// One row per evaluated point, the sweep included: what compare.csv holds.
std::string compare_csv(const CompareResult& result);

// The short human summary printed on stdout.
std::string compare_table(const CompareResult& result);

}  // namespace softspike
