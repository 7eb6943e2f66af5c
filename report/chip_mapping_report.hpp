#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "chip/chip_description.hpp"
#include "chip/core_mapping.hpp"

namespace softspike {

// A layer's core mapping for report.json: the chip (its limits and sources), the cores used, the fullest
// core's axons, synapses and memory, the packets per phase and per image, their energy, and the steps to a
// decision.
nlohmann::json chip_mapping_json(const ChipDescription& chip, const CoreMapping& mapping);

// The same as a text table for the terminal.
std::string chip_mapping_table(const ChipDescription& chip, const CoreMapping& mapping);

}  // namespace softspike
