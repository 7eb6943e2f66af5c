#include "report/chip_mapping_report.hpp"

#include <sstream>

#include "report/html_parts.hpp"

namespace softspike {

namespace {

double per_image(std::uint64_t n, std::uint64_t images) {
    return images == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(images);
}

}  // namespace

nlohmann::json chip_mapping_json(const ChipDescription& chip, const CoreMapping& m) {
    nlohmann::json c;
    c["name"] = chip.name;
    c["description"] = chip.description;
    c["source"] = chip.source;
    c["notes"] = chip.notes;
    c["cores"] = chip.cores;
    c["neurons_per_core"] = chip.neurons_per_core;
    c["axons_per_core"] = chip.axons_per_core;
    c["synapses_per_core"] = chip.synapses_per_core;
    c["synaptic_memory_bytes_per_core"] = chip.synaptic_memory_bytes_per_core;
    c["packet_pj"] = chip.packet_pj;
    c["step_ms"] = chip.step_ms;
    nlohmann::json layer;
    layer["layer"] = m.layer;
    layer["neurons_per_core"] = m.neurons_per_core;
    layer["binding_limit"] = m.binding_limit;
    layer["cores_used"] = m.cores_used;
    layer["chips_used"] = m.chips_used;
    layer["fullest_core"] = {{"axons", m.axons_per_core},
                             {"synapses", m.synapses_per_core},
                             {"synaptic_memory_bytes", m.memory_bytes_per_core},
                             {"synaptic_memory_fraction", m.memory_fraction}};
    layer["packets"] = {{"input", m.input_packets},
                        {"inhibition", m.inhibition_packets},
                        {"output", m.output_packets},
                        {"total", m.packets()}};
    layer["packets_per_image"] = {{"input", per_image(m.input_packets, m.images)},
                                  {"inhibition", per_image(m.inhibition_packets, m.images)},
                                  {"output", per_image(m.output_packets, m.images)},
                                  {"total", per_image(m.packets(), m.images)}};
    layer["packet_energy_nj_per_image"] = per_image(m.packets(), m.images) * m.packet_pj / 1000.0;
    layer["images"] = m.images;
    layer["steps_to_decision"] = m.steps_to_decision;
    return {{"chip", c}, {"layers", nlohmann::json::array({layer})}};
}

std::string chip_mapping_table(const ChipDescription& chip, const CoreMapping& m) {
    std::ostringstream out;
    out << "chip mapping onto '" << chip.name << "' (" << chip.cores << " cores; per core " << chip.neurons_per_core
        << " neurons, " << chip.axons_per_core << " axons, " << chip.synapses_per_core << " synapses, "
        << chip.synaptic_memory_bytes_per_core << " bytes)\n";
    out << "  layer " << m.layer << ": " << m.cores_used << " cores (" << m.chips_used << " chip"
        << (m.chips_used == 1 ? "" : "s") << "), " << m.neurons_per_core << " neurons per core (bound by "
        << m.binding_limit << ")\n";
    out << "  fullest core: " << m.axons_per_core << " axons, " << m.synapses_per_core << " synapses, "
        << m.memory_bytes_per_core << " bytes of weights (" << fmt("%.1f", 100.0 * m.memory_fraction) << " %)\n";
    out << "  packets per image: " << fmt("%.1f", per_image(m.input_packets, m.images)) << " input, "
        << fmt("%.1f", per_image(m.inhibition_packets, m.images)) << " inhibition, "
        << fmt("%.1f", per_image(m.output_packets, m.images)) << " output, "
        << fmt("%.1f", per_image(m.packets(), m.images)) << " in all ("
        << fmt("%.3f", per_image(m.packets(), m.images) * m.packet_pj / 1000.0) << " nJ at " << m.packet_pj
        << " pJ each)\n";
    out << "  time steps to a decision: " << m.steps_to_decision << " of " << chip.step_ms << " ms\n";
    return out.str();
}

}  // namespace softspike
