#include "chip/hardware_figures.hpp"

#include <cmath>

namespace softspike {

std::uint64_t steps_per_image(double presentation_ms) {
    return static_cast<std::uint64_t>(std::ceil(presentation_ms - 1e-9));
}

HardwareFigures hardware_figures(const EventCounters& counts, std::uint64_t images, const NetworkShape& shape,
                                 const ChipParams& chip, const Projection& weights) {
    HardwareFigures f;
    f.images = images;
    f.counts = counts;
    const std::uint64_t steps = steps_per_image(shape.presentation_ms) * images;
    f.neuron_steps = shape.neurons * steps;
    const double bytes = chip.weight_bytes();
    f.weight_read_bytes = static_cast<double>(counts.synaptic_events + counts.plasticity_updates) * bytes;
    f.weight_write_bytes = static_cast<double>(counts.plasticity_updates) * bytes;
    f.dense_ops = shape.inputs * shape.neurons * images;
    const std::uint64_t synapses = shape.inputs * shape.neurons;
    f.footprint_bytes = synapses * chip.weight_bits / 8 + 4 * shape.neurons                  // weights, biases
                        + 4 * shape.inputs + 4 * shape.neurons * (shape.lif ? 2 : 1);  // traces, membranes
    std::uint64_t zeros = 0;
    for (const float w : weights.weights()) zeros += w == 0.0F ? 1 : 0;
    f.connection_sparsity = synapses > 0 ? static_cast<double>(zeros) / static_cast<double>(synapses) : 0.0;
    const double slots = static_cast<double>((shape.inputs + shape.neurons) * steps);
    f.activation_sparsity =
        slots > 0.0 ? 1.0 - static_cast<double>(counts.input_spikes + counts.output_spikes) / slots : 0.0;
    return f;
}

std::vector<std::pair<std::string, double>> cost_categories(const HardwareFigures& f) {
    const EventCounters& c = f.counts;
    auto d = [](std::uint64_t v) { return static_cast<double>(v); };
    return {{"input_spike", d(c.input_spikes)},
            {"output_spike", d(c.output_spikes)},
            {"synaptic_event", d(c.synaptic_events)},
            {"effective_ac", d(c.effective_acs)},
            {"effective_mac", d(c.effective_macs)},
            {"membrane_update", d(c.membrane_updates)},
            {"plasticity_update", d(c.plasticity_updates)},
            {"trace_update", d(c.trace_updates)},
            {"bias_update", d(c.bias_updates)},
            {"weight_read_byte", f.weight_read_bytes},
            {"weight_write_byte", f.weight_write_bytes},
            {"neuron_step", d(f.neuron_steps)}};
}

}  // namespace softspike
