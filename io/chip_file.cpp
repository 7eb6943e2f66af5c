#include "io/chip_file.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/errors.hpp"
#include "io/config_file.hpp"

namespace softspike {

namespace {

using nlohmann::json;

const json& required(const json& document, const std::string& key, const std::string& source,
                     const std::string& expected) {
    const auto it = document.find(key);
    if (it == document.end()) fail_json_key(source, key, expected, json());
    return *it;
}

std::string text(const json& document, const std::string& key, const std::string& source, bool needed) {
    if (!needed && !document.contains(key)) return {};
    const json& v = required(document, key, source, "a string");
    if (!v.is_string() || (needed && v.get<std::string>().empty())) fail_json_key(source, key, "a non-empty string", v);
    return v.get<std::string>();
}

std::uint64_t count(const json& document, const std::string& key, const std::string& source) {
    const json& v = required(document, key, source, "a whole number >= 1 (and below 2^48)");
    const bool whole = v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 1);
    if (!whole || v.get<std::uint64_t>() < 1 || v.get<std::uint64_t>() > (std::uint64_t{1} << 48U)) {
        fail_json_key(source, key, "a whole number >= 1 (and below 2^48)", v);
    }
    return v.get<std::uint64_t>();
}

}  // namespace

ChipDescription parse_chip_description(const json& document, const std::string& source) {
    if (!document.is_object()) fail_json_key(source, "(top level)", "an object", document);
    static const std::vector<std::string> keys{"name",          "description",      "source",
                                               "cores",         "neurons_per_core", "axons_per_core",
                                               "synapses_per_core", "synaptic_memory_bytes_per_core",
                                               "packet_pj",     "step_ms",          "notes"};
    for (const auto& [key, value] : document.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            std::string list;
            for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
            fail_json_key(source, key, "one of " + list, json(key));
        }
    }
    ChipDescription c;
    c.name = text(document, "name", source, true);
    c.description = text(document, "description", source, false);
    c.source = text(document, "source", source, true);
    c.cores = count(document, "cores", source);
    c.neurons_per_core = count(document, "neurons_per_core", source);
    c.axons_per_core = count(document, "axons_per_core", source);
    c.synapses_per_core = count(document, "synapses_per_core", source);
    c.synaptic_memory_bytes_per_core = count(document, "synaptic_memory_bytes_per_core", source);
    const json& pj = required(document, "packet_pj", source, "a finite number >= 0 (picojoules per packet)");
    if (!pj.is_number() || !std::isfinite(pj.get<double>()) || pj.get<double>() < 0.0) {
        fail_json_key(source, "packet_pj", "a finite number >= 0 (picojoules per packet)", pj);
    }
    c.packet_pj = pj.get<double>();
    if (document.contains("step_ms")) {
        const json& step = document["step_ms"];
        if (!step.is_number() || !std::isfinite(step.get<double>()) || step.get<double>() <= 0.0) {
            fail_json_key(source, "step_ms", "a finite number > 0 (milliseconds)", step);
        }
        c.step_ms = step.get<double>();
    }
    if (document.contains("notes")) {
        const json& notes = document["notes"];
        if (!notes.is_object()) fail_json_key(source, "notes", "an object of strings, one per key", notes);
        for (const auto& [key, value] : notes.items()) {
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
                fail_json_key(source, "notes." + key, "a note on one of the chip's keys", json(key));
            }
            if (!value.is_string()) fail_json_key(source, "notes." + key, "a string", value);
            c.notes[key] = value.get<std::string>();
        }
    }
    return c;
}

ChipDescription load_chip_description(const std::filesystem::path& path) {
    return parse_chip_description(read_json_file(path), path.string());
}

}  // namespace softspike
