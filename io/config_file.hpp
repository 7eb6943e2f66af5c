#pragma once
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "run/config.hpp"

namespace softspike {

// Reads a JSON file; a parse error names the file and the byte.
nlohmann::json read_json_file(const std::filesystem::path& path);
// The same for JSON text in memory; `source` names it in messages.
nlohmann::json parse_json_text(std::string_view text, const std::string& source);

// The ConfigError of a JSON file's bad key: "SOURCE: key 'KEY': expected EXPECTED, found FOUND" (FOUND as JSON,
// or "nothing" when the key is missing), as the cost-table and chip files report it.
[[noreturn]] void fail_json_key(const std::string& source, const std::string& key, const std::string& expected,
                                const nlohmann::json& found);

// read_json_file + every override + parse_config.
Config load_config(const std::filesystem::path& path, const std::vector<std::string>& overrides);

}  // namespace softspike
