#include "chip/core_mapping.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"

namespace softspike {

namespace {

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

}  // namespace

CoreMapping map_layer(const LayerDemand& layer, const ChipDescription& chip, double presentation_ms,
                      const std::string& source) {
    if (layer.neurons == 0 || layer.fan_in == 0) {
        throw ConfigError(source + ": layer '" + layer.name + "' has no neurons or no inputs to map");
    }
    const std::uint64_t inhibition = layer.lateral_inhibition ? 1 : 0;
    const std::uint64_t axons = layer.fan_in + inhibition;
    const std::uint64_t synapses = layer.fan_in + inhibition;     // per neuron
    const std::uint64_t bits = synapses * layer.weight_bits;      // per neuron
    const auto refuse = [&](const std::string& key, std::uint64_t needs, std::uint64_t has, const char* what) {
        throw ConfigError(source + ": key '" + key + "': a neuron of layer '" + layer.name + "' needs " +
                          std::to_string(needs) + " " + what + " (fan-in " + std::to_string(layer.fan_in) +
                          (inhibition ? " + 1 inhibitory input" : "") + "), a core of chip '" + chip.name +
                          "' has " + std::to_string(has) +
                          ": the network cannot be mapped (splitting a neuron over cores is not modelled)");
    };
    if (axons > chip.axons_per_core) refuse("axons_per_core", axons, chip.axons_per_core, "axons");
    if (synapses > chip.synapses_per_core) refuse("synapses_per_core", synapses, chip.synapses_per_core, "synapses");
    const std::uint64_t memory_bits = chip.synaptic_memory_bytes_per_core * 8;
    if (bits > memory_bits) {
        refuse("synaptic_memory_bytes_per_core", ceil_div(bits, 8), chip.synaptic_memory_bytes_per_core,
               "bytes of weights");
    }
    CoreMapping m;
    m.layer = layer.name;
    // The tightest of the per-core limits; axons do not bound it, since a dense layer's neurons share them.
    m.neurons_per_core = chip.neurons_per_core;
    m.binding_limit = "neurons_per_core";
    if (chip.synapses_per_core / synapses < m.neurons_per_core) {
        m.neurons_per_core = chip.synapses_per_core / synapses;
        m.binding_limit = "synapses_per_core";
    }
    if (memory_bits / bits < m.neurons_per_core) {
        m.neurons_per_core = memory_bits / bits;
        m.binding_limit = "synaptic_memory_bytes_per_core";
    }
    m.neurons_per_core = std::min(m.neurons_per_core, layer.neurons);
    m.cores_used = ceil_div(layer.neurons, m.neurons_per_core);
    m.chips_used = ceil_div(m.cores_used, chip.cores);
    m.axons_per_core = axons;
    m.synapses_per_core = m.neurons_per_core * synapses;
    m.memory_bytes_per_core = ceil_div(m.neurons_per_core * bits, 8);
    m.memory_fraction =
        static_cast<double>(m.memory_bytes_per_core) / static_cast<double>(chip.synaptic_memory_bytes_per_core);
    m.lateral_inhibition = layer.lateral_inhibition;
    m.packet_pj = chip.packet_pj;
    m.steps_to_decision = static_cast<std::uint64_t>(std::ceil(presentation_ms / chip.step_ms - 1e-9));
    return m;
}

void count_packets(CoreMapping& m, const LayerTraffic& traffic) {
    m.input_packets = traffic.input_spikes * m.cores_used;
    m.inhibition_packets = m.lateral_inhibition ? traffic.output_spikes * (m.cores_used - 1) : 0;
    m.output_packets = traffic.output_spikes;
    m.images = traffic.images;
}

}  // namespace softspike
