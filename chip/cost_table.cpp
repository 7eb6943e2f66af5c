#include "chip/cost_table.hpp"

namespace softspike {

std::vector<CostTable> tables_pricing_macs(const std::vector<CostTable>& tables) {
    std::vector<CostTable> out;
    for (const CostTable& t : tables) {
        if (t.costs_pj.count("effective_mac") != 0) out.push_back(t);
    }
    return out;
}

EnergyEstimate estimate_energy(const HardwareFigures& figures, const CostTable& table) {
    EnergyEstimate e;
    e.table = table.name;
    for (const auto& [category, count] : cost_categories(figures)) {
        const auto it = table.costs_pj.find(category);
        if (it == table.costs_pj.end()) continue;
        const double pj = count * it->second.pj;
        e.pj_by_category.emplace_back(category, pj);
        e.total_pj += pj;
    }
    return e;
}

}  // namespace softspike
