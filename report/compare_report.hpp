#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "run/compare.hpp"

namespace softspike {

// The swept point with the fewest synaptic events per test image (then the fewest output draws) at which the
// spike-trained spiking model's linear read-out comes within `margin` (a fraction: 0.01 is one percentage
// point) of the rate model's own; null when none does or either form is missing.
const ComparePoint* cheapest_sweep_point_within(const CompareResult& result, double margin);

// A spiking point's evaluation settings in words, e.g. "784 spikes/img, drive" or "budget 400, spike counts".
std::string point_setting(const ComparePoint& point);

// The comparison as report.json holds it (the caller adds command, versions, timings).
nlohmann::json compare_to_json(const CompareResult& result);

// One row per evaluated point, the sweep included: what compare.csv holds.
std::string compare_csv(const CompareResult& result);

// The short human summary printed on stdout.
std::string compare_table(const CompareResult& result);

}  // namespace softspike
