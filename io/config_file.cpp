#include "io/config_file.hpp"

#include <fstream>
#include <iterator>

#include "core/errors.hpp"

namespace softspike {

using nlohmann::json;

nlohmann::json parse_json_text(std::string_view text, const std::string& source) {
    try {
        return json::parse(text, nullptr, true, /*ignore_comments=*/false);
    } catch (const json::parse_error& e) {
        throw ConfigError(source + ": malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    } catch (const json::exception& e) {
        // e.g. a number too large for a double (1e999): valid JSON text, no value a config can hold.
        throw ConfigError(source + ": unreadable JSON value: " + e.what());
    }
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path.string() + ": cannot open config file (missing or unreadable)");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_json_text(text, path.string());
}

Config load_config(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
    json document = read_json_file(path);
    for (const auto& assignment : overrides) apply_override(document, assignment);
    std::string source = path.string();
    if (!overrides.empty()) source += " (with --set overrides)";
    return parse_config(document, source);
}

void fail_json_key(const std::string& source, const std::string& key, const std::string& expected,
                   const nlohmann::json& found) {
    throw ConfigError(source + ": key '" + key + "': expected " + expected + ", found " +
                      (found.is_null() ? std::string("nothing") : found.dump()));
}

}  // namespace softspike
