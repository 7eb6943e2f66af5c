#include "chip/cost_table.hpp"

namespace softspike {

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
