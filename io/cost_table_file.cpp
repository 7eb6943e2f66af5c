#include "io/cost_table_file.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "io/config_file.hpp"

namespace softspike {

namespace {

using nlohmann::json;

std::string text(const json& j, const std::string& key, const std::string& source, bool required) {
    const auto it = j.find(key);
    if (it == j.end()) {
        if (required) fail_json_key(source, key, "a string", json());
        return {};
    }
    if (!it->is_string()) fail_json_key(source, key, "a string", *it);
    return it->get<std::string>();
}

}  // namespace

CostTable parse_cost_table(const json& document, const std::string& source) {
    if (!document.is_object()) fail_json_key(source, "(top level)", "an object", document);
    static const std::vector<std::string> top{"name", "description", "source", "all_in", "costs_pj"};
    for (const auto& [key, value] : document.items()) {
        if (std::find(top.begin(), top.end(), key) == top.end()) {
            fail_json_key(source, key, "one of name, description, source, all_in, costs_pj", json(key));
        }
    }
    CostTable table;
    table.name = text(document, "name", source, true);
    table.description = text(document, "description", source, false);
    table.source = text(document, "source", source, true);
    if (document.contains("all_in")) {
        if (!document["all_in"].is_boolean()) fail_json_key(source, "all_in", "true or false", document["all_in"]);
        table.all_in = document["all_in"].get<bool>();
    }
    const auto costs = document.find("costs_pj");
    if (costs == document.end() || !costs->is_object() || costs->empty()) {
        fail_json_key(source, "costs_pj", "an object of priced categories", costs == document.end() ? json() : *costs);
    }
    std::vector<std::string> known;
    for (const auto& [name, count] : cost_categories(HardwareFigures{})) known.push_back(name);
    for (const auto& [category, entry] : costs->items()) {
        const std::string key = "costs_pj." + category;
        if (std::find(known.begin(), known.end(), category) == known.end()) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            fail_json_key(source, key, "a category among " + list, json(category));
        }
        if (!entry.is_object()) fail_json_key(source, key, "an object {\"pj\": number, \"source\": string}", entry);
        for (const auto& [field, value] : entry.items()) {
            if (field != "pj" && field != "source") fail_json_key(source, key + "." + field, "pj or source", json(field));
        }
        const auto pj = entry.find("pj");
        if (pj == entry.end() || !pj->is_number() || !std::isfinite(pj->get<double>()) || pj->get<double>() < 0.0) {
            fail_json_key(source, key + ".pj", "a finite number >= 0 (picojoules)", pj == entry.end() ? json() : *pj);
        }
        const std::string from = text(entry, "source", source + " (" + key + ")", true);
        if (from.empty()) fail_json_key(source, key + ".source", "where the figure comes from", entry["source"]);
        table.costs_pj[category] = {pj->get<double>(), from};
    }
    return table;
}

CostTable load_cost_table(const std::filesystem::path& path) {
    return parse_cost_table(read_json_file(path), path.string());
}

std::vector<CostTable> load_cost_tables(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    if (ec) throw ConfigError(dir.string() + ": cannot read the cost table directory: " + ec.message());
    std::sort(files.begin(), files.end());
    std::vector<CostTable> tables;
    for (const auto& f : files) tables.push_back(load_cost_table(f));
    return tables;
}

std::filesystem::path default_cost_table_dir() { return SOFTSPIKE_COST_TABLE_DIR; }

}  // namespace softspike
