#include "run/rate_form_figures.hpp"

#include <vector>

#include "neurons/input_encoder.hpp"
#include "run/network_setup.hpp"

namespace softspike {

HardwareFigures rate_form_figures(const Config& config, const Dataset& data, const Projection& weights, bool learning) {
    const std::size_t inputs = weights.sources();
    const std::size_t neurons = weights.targets();
    std::vector<std::uint64_t> nonzero_in_row(inputs, 0);
    for (std::size_t i = 0; i < inputs; ++i) {
        for (const float w : weights.row(i)) nonzero_in_row[i] += w != 0.0F ? 1 : 0;
    }
    const SynapseMemory memory = synapse_memory(config, inputs);
    EventCounters c;
    std::uint64_t active_inputs = 0;
    for (std::size_t s = 0; s < data.size(); ++s) {
        const std::vector<float> x = input_intensities(data.image(s), config.encoder);
        for (std::size_t i = 0; i < inputs; ++i) {
            c.effective_macs += x[i] != 0.0F ? nonzero_in_row[i] : 0;
            active_inputs += x[i] != 0.0F ? 1 : 0;
        }
    }
    const std::uint64_t images = data.size();
    c.synaptic_events = memory.live_synapses() * images;
    c.membrane_updates = neurons * images;
    if (learning) c.plasticity_updates = memory.live_synapses() * images;
    HardwareFigures f = hardware_figures(c, images, network_shape(config, inputs), config.chip, weights);
    f.neuron_steps = 0;  // no time steps
    // Every soft-WTA output y_k is nonzero; inputs are as many as the nonzero intensities.
    const double slots = static_cast<double>((inputs + neurons) * images);
    f.activation_sparsity = slots > 0.0 ? 1.0 - static_cast<double>(active_inputs + neurons * images) / slots : 0.0;
    return f;
}

}  // namespace softspike
