#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "chip/chip_description.hpp"

namespace softspike {

// A chip description (configs/chips/*.json): name, source and every per-core limit are required; an unknown
// key, a missing one, a limit that is not a whole number >= 1, a negative or non-finite packet cost or a
// time step <= 0 is a ConfigError naming the file and the key, with what was expected and what was found.
ChipDescription parse_chip_description(const nlohmann::json& document, const std::string& source);
ChipDescription load_chip_description(const std::filesystem::path& path);

}  // namespace softspike
