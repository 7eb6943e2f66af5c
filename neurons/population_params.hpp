#pragma once
#include <cstddef>
#include <cstdint>

namespace softspike {

// The two soft-WTA forms of docs/model.md §4.
enum class WtaKind : std::uint8_t {
    stochastic,  // the population fires as a whole; the emitting neuron is drawn from softmax(u / temperature)
    lif,         // leaky integrate-and-fire neurons with explicit lateral inhibitory synapses
};

// Parameters of a soft-WTA population; filled and validated by run/config.
struct PopulationParams {
    std::size_t neurons = 400;
    WtaKind kind = WtaKind::stochastic;
    double synaptic_delay_ms = 1.0;  // input -> population delay
    // Stochastic form.
    double temperature = 0.005;     // softmax temperature tau of docs/model.md §4.1
    double output_rate_hz = 250.0;  // rate of the population as a whole, set by inhibition
    double onset_ms = 10.0;         // the population stays silent until its traces have seen this much input
    // How the winner of each population spike is drawn: by inverse CDF at an independent uniform (false), or
    // at the points of a golden-ratio (Weyl) sequence with a random start per sample (true): each draw is
    // still uniform, but a sample's draws are spread evenly, so its spike counts follow softmax(u / tau)
    // with far less sampling noise.
    bool low_discrepancy = false;
    // LIF form.
    double threshold = 0.5;   // firing threshold on u_k - inhibition
    double inhibition = 0.3;  // strength of one lateral inhibitory synapse
    double inhibition_delay_ms = 0.5;
    // Escape noise (docs/model.md §4.3): no hard threshold; neuron k fires with hazard
    // output_rate_hz * exp((u_k - I_k - threshold) / temperature), re-evaluated every `hazard_step_ms` (the
    // chip's time step) and whenever inhibition arrives; the spiker's reset equals one inhibitory synapse.
    bool escape_noise = false;
    double hazard_step_ms = 0.1;
    // Homeostasis: a neuron's bias falls by `homeostasis_rate` when it fires and every bias rises by
    // homeostasis_rate / N per population spike, so each neuron is pushed towards 1/N of the spikes.
    double homeostasis_rate = 0.001;
};

}  // namespace softspike
