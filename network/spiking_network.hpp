#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "chip/synapse_memory.hpp"
#include "core/counters.hpp"
#include "core/random.hpp"
#include "core/scheduler.hpp"
#include "network/network_model.hpp"
#include "neurons/encoder_params.hpp"
#include "neurons/input_spike.hpp"
#include "neurons/soft_wta_population.hpp"
#include "plasticity/plasticity_rule.hpp"

namespace softspike {

// One entry of a spike raster, recorded only on request.
struct SpikeRecord {
    tick_t time = 0;
    std::uint32_t neuron = 0;
    bool input = false;  // true for an input neuron, false for a soft-WTA neuron
};

// The simulation object: owns the clock, the event queue and the population state, and runs one sample
// presentation at a time through input spikes -> synapses -> soft-WTA -> plasticity. One per thread;
// the learned parameters live in a NetworkModel passed in.
class SpikingNetwork {
public:
    SpikingNetwork(std::size_t inputs, const PopulationParams& population, const EncoderParams& encoder);

    // Presents `sample` with its window starting at `onset`, weights frozen. Returns the spike count of
    // each neuron during the window.
    std::span<const std::uint32_t> present(const EncodedSample& sample, tick_t onset, const NetworkModel& model,
                                           Rng& rng, std::vector<SpikeRecord>* raster = nullptr);
    // The same, learning: `rule` updates the weights at every output spike, homeostasis the biases.
    std::span<const std::uint32_t> present_learning(const EncodedSample& sample, tick_t onset, NetworkModel& model,
                                                    PlasticityRule& rule, Rng& rng,
                                                    std::vector<SpikeRecord>* raster = nullptr);

    // Every neuron's drive u_k at the last tick of the window just presented (what a chip could read from its
    // membranes, docs/model.md §8), into `out` (one value per neuron).
    void final_drives(const NetworkModel& model, std::span<float> out) const {
        population_.drives(last_tick_, model.biases, out);
    }
    // Time from one onset to the next: the window plus the synaptic delay its last spikes need to arrive.
    [[nodiscard]] tick_t period() const { return delay_ + window_; }
    [[nodiscard]] const EventCounters& counters() const { return counters_; }
    [[nodiscard]] tick_t now() const { return scheduler_.now(); }
    // The chip's synapse memory (weight grid, dead synapses); null, the default, is an ideal float32 memory.
    void set_synapse_memory(const SynapseMemory* memory) { memory_ = memory; }
    // Anti-Hebbian learning (PlasticityParams::anti_hebbian): a spike of any neuron but the most driven one
    // takes its rule's step with the opposite sign (docs/model.md §5.1). Not with update windows.
    void set_anti_hebbian(bool on) { anti_hebbian_ = on; }
    // 0 (the default): plasticity at every output spike; otherwise once per window of this many ticks.
    void set_plasticity_window(tick_t window) { plasticity_window_ = window; }

private:
    std::span<const std::uint32_t> run(const EncodedSample& sample, tick_t onset, const NetworkModel& model,
                                       NetworkModel* learning, PlasticityRule* rule, Rng& rng,
                                       std::vector<SpikeRecord>* raster);
    void fire(std::uint32_t neuron, tick_t t, const NetworkModel& model, NetworkModel* learning, PlasticityRule* rule,
              Rng& rng, std::vector<SpikeRecord>* raster);
    // Applies the rule once for each neuron with pending spikes, at time t.
    void learn_pending(tick_t t, const NetworkModel& model, NetworkModel& learning, PlasticityRule& rule, Rng& rng);
    // The neuron's share of this presentation's output spikes so far.
    [[nodiscard]] float output_share(std::uint32_t neuron) const;
    void learn(const PostSpike& post, tick_t t, NetworkModel& learning, PlasticityRule& rule, Rng& rng);

    PopulationParams params_;
    Scheduler scheduler_;
    SoftWtaPopulation population_;
    EventCounters counters_;
    tick_t delay_;
    tick_t window_;
    tick_t inhibition_delay_;
    tick_t wta_onset_;
    tick_t hazard_step_;  // escape-noise LIF: the longest time its hazards are held
    double output_rate_per_tick_;
    double trace_tau_s_;  // the one time constant of traces, drives and inhibition
    const SynapseMemory* memory_ = nullptr;
    tick_t plasticity_window_ = 0;
    tick_t last_tick_ = 0;  // the last tick of the last presentation's window
    bool anti_hebbian_ = false;
    std::uint64_t sample_output_spikes_ = 0;
    std::vector<std::uint32_t> pending_;  // per neuron: spikes not yet learned from in this window
};

}  // namespace softspike
