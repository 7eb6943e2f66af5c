#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "chip/hardware_figures.hpp"

namespace softspike {

// One priced operation: picojoules per unit and where the figure comes from.
struct CostEntry {
    double pj = 0.0;
    std::string source;
};

// An energy cost table (configs/cost_tables/*.json): picojoules per counted operation, each with its source.
// Categories a table does not list cost nothing under it; an all-in table's entries already include
// everything else (memory, neuron updates), so nothing may be added on top.
struct CostTable {
    std::string name;
    std::string description;
    std::string source;
    bool all_in = false;
    std::map<std::string, CostEntry> costs_pj;
};

// Energy of a phase under one table: per category and in total, in picojoules.
struct EnergyEstimate {
    std::string table;
    std::vector<std::pair<std::string, double>> pj_by_category;  // the categories the table prices
    double total_pj = 0.0;
};

// The tables that price a multiply-accumulate (effective_mac): the only ones a dense (rate-form) computation
// is priced under, since a spiking chip's per-event figures say nothing about it.
std::vector<CostTable> tables_pricing_macs(const std::vector<CostTable>& tables);

// counts x table entries, category by category.
EnergyEstimate estimate_energy(const HardwareFigures& figures, const CostTable& table);

}  // namespace softspike
