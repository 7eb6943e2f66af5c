#include "report/hardware_report.hpp"

#include <cstdio>
#include <sstream>

namespace softspike {

namespace {

double per(double value, std::uint64_t images) { return images > 0 ? value / static_cast<double>(images) : 0.0; }

}  // namespace

nlohmann::json hardware_json(const HardwareFigures& f, const std::vector<CostTable>& tables) {
    using nlohmann::json;
    const auto n = f.images;
    json counts;
    json per_image;
    for (const auto& [category, count] : cost_categories(f)) {
        counts[category] = count;
        per_image[category] = per(count, n);
    }
    json j;
    j["images"] = n;
    j["counts"] = counts;
    j["per_image"] = per_image;
    j["neurobench"] = {
        {"SynapticOperations",
         {{"Effective_ACs", per(static_cast<double>(f.counts.effective_acs), n)},
          {"Effective_MACs", per(static_cast<double>(f.counts.effective_macs), n)},
          {"Dense", per(static_cast<double>(f.dense_ops), n)}}},
        {"ActivationSparsity", f.activation_sparsity},
        {"MembraneUpdates", per(static_cast<double>(f.counts.membrane_updates), n)},
        {"Footprint", f.footprint_bytes},
        {"ConnectionSparsity", f.connection_sparsity}};
    json energy;
    for (const CostTable& table : tables) {
        const EnergyEstimate e = estimate_energy(f, table);
        json by_category;
        json sources;
        for (const auto& [category, pj] : e.pj_by_category) {
            by_category[category] = {{"total_pj", pj}, {"per_image_pj", per(pj, n)}};
            sources[category] = {{"pj_per_unit", table.costs_pj.at(category).pj},
                                 {"source", table.costs_pj.at(category).source}};
        }
        energy[table.name] = {{"total_pj", e.total_pj},
                              {"per_image_pj", per(e.total_pj, n)},
                              {"by_category", by_category},
                              {"all_in", table.all_in},
                              {"table_source", table.source},
                              {"entries", sources}};
    }
    j["energy"] = energy;
    return j;
}

std::string hardware_table(const std::string& title, const HardwareFigures& f, const std::vector<CostTable>& tables) {
    std::ostringstream out;
    char line[256];
    const auto n = f.images;
    out << title << " (" << n << " images), per image:\n";
    std::snprintf(line, sizeof line, "%-18s %14s", "category", "count");
    out << line;
    for (const CostTable& t : tables) {
        std::snprintf(line, sizeof line, " %16s", (t.name.substr(0, 12) + " nJ").c_str());
        out << line;
    }
    out << "\n";
    std::vector<EnergyEstimate> estimates;
    for (const CostTable& t : tables) estimates.push_back(estimate_energy(f, t));
    for (const auto& [category, count] : cost_categories(f)) {
        std::snprintf(line, sizeof line, "%-18s %14.1f", category.c_str(), per(count, n));
        out << line;
        for (const EnergyEstimate& e : estimates) {
            double pj = -1.0;
            for (const auto& [c, v] : e.pj_by_category) pj = c == category ? v : pj;
            if (pj < 0.0) {
                std::snprintf(line, sizeof line, " %16s", "-");
            } else {
                std::snprintf(line, sizeof line, " %16.2f", per(pj, n) / 1000.0);
            }
            out << line;
        }
        out << "\n";
    }
    std::snprintf(line, sizeof line, "%-18s %14s", "total", "");
    out << line;
    for (const EnergyEstimate& e : estimates) {
        std::snprintf(line, sizeof line, " %16.2f", per(e.total_pj, n) / 1000.0);
        out << line;
    }
    out << "\n";
    std::snprintf(line, sizeof line,
                  "NeuroBench: Effective_ACs %.0f, Effective_MACs %.0f, Dense %.0f, MembraneUpdates %.0f, "
                  "ActivationSparsity %.4f, ConnectionSparsity %.4f, Footprint %llu bytes\n",
                  per(static_cast<double>(f.counts.effective_acs), n),
                  per(static_cast<double>(f.counts.effective_macs), n), per(static_cast<double>(f.dense_ops), n),
                  per(static_cast<double>(f.counts.membrane_updates), n), f.activation_sparsity,
                  f.connection_sparsity, static_cast<unsigned long long>(f.footprint_bytes));
    out << line;
    return out.str();
}

}  // namespace softspike
