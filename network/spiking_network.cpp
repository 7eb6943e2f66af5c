#include "network/spiking_network.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace softspike {

SpikingNetwork::SpikingNetwork(std::size_t inputs, const PopulationParams& population, const EncoderParams& encoder)
    : params_(population),
      population_(inputs, population, encoder.trace_tau_ms),
      delay_(ms_to_ticks(population.synaptic_delay_ms)),
      window_(ms_to_ticks(encoder.presentation_ms)),
      inhibition_delay_(ms_to_ticks(population.inhibition_delay_ms)),
      wta_onset_(ms_to_ticks(population.onset_ms)),
      hazard_step_(std::max<tick_t>(ms_to_ticks(population.hazard_step_ms), 1)),
      output_rate_per_tick_(population.output_rate_hz / ticks_per_second),
      trace_tau_s_(encoder.trace_tau_ms / 1000.0) {}

std::span<const std::uint32_t> SpikingNetwork::present(const EncodedSample& sample, tick_t onset,
                                                       const NetworkModel& model, Rng& rng,
                                                       std::vector<SpikeRecord>* raster) {
    return run(sample, onset, model, nullptr, nullptr, rng, raster);
}

std::span<const std::uint32_t> SpikingNetwork::present_learning(const EncodedSample& sample, tick_t onset,
                                                                NetworkModel& model, PlasticityRule& rule, Rng& rng,
                                                                std::vector<SpikeRecord>* raster) {
    return run(sample, onset, model, &model, &rule, rng, raster);
}

std::span<const std::uint32_t> SpikingNetwork::run(const EncodedSample& sample, tick_t onset, const NetworkModel& model,
                                                   NetworkModel* learning, PlasticityRule* rule, Rng& rng,
                                                   std::vector<SpikeRecord>* raster) {
    scheduler_.reset(onset);
    const tick_t arrival_onset = onset + delay_;
    const tick_t end = arrival_onset + window_;  // exclusive: the next sample's window starts here
    last_tick_ = end - 1;
    population_.begin_sample(arrival_onset, sample.warmup_correction, sample.graded);
    sample_output_spikes_ = 0;
    // The encoders emit trains in (offset, source) order; a train built by hand may not be, and is then put in
    // that order here (a copy), as a queue of its spikes would.
    std::vector<InputSpike> sorted;
    if (!std::is_sorted(sample.spikes.begin(), sample.spikes.end(), in_train_order)) {
        sorted = sample.spikes;
        std::stable_sort(sorted.begin(), sorted.end(), in_train_order);
    }
    const auto& spikes = sorted.empty() ? sample.spikes : sorted;
    // Every input spike arrives after one synaptic delay, in the train's (offset, source) order: the arrivals
    // are a sorted stream merged into the queue, not queued events.
    const tick_t arrival_shift = onset + delay_;
    auto arrival = [&](std::size_t i) {
        const InputSpike& spike = spikes[i];
        return Event{arrival_shift + spike.offset, EventKind::synaptic_arrival, spike.source, spike.amplitude};
    };
    const std::size_t raster_start = raster != nullptr ? raster->size() : 0;
    const bool stochastic = params_.kind == WtaKind::stochastic;
    // The population's Poisson process keeps its own continuous clock, so that rounding each event to a
    // tick never accumulates into a rate bias.
    double population_clock = static_cast<double>(arrival_onset + wta_onset_);
    auto schedule_population_spike = [&] {
        population_clock += rng.exponential(output_rate_per_tick_);
        if (population_clock < static_cast<double>(end)) {
            scheduler_.schedule({static_cast<tick_t>(population_clock), EventKind::population_spike, 0U});
        }
    };
    if (stochastic && output_rate_per_tick_ > 0.0) schedule_population_spike();

    // The escape-noise LIF form (docs/model.md §4.3): the population fires with the total hazard sum_k rho_k,
    // held between evaluations (every hazard step, after each spike and each inhibition), by the time-rescaling
    // of a piecewise-constant rate: an Exp(1) budget is used up at rate sum_k rho_k, a spike when it runs out.
    // An event scheduled before a re-evaluation is superseded: events carry the generation they were made in.
    const bool escaping = params_.kind == WtaKind::lif && params_.escape_noise && params_.output_rate_hz > 0.0;
    struct {
        double time = 0.0;    // of the last evaluation
        double rate = 0.0;    // the total hazard then, per tick
        double budget = 0.0;  // what is left of the current Exp(1)
        std::uint32_t generation = 0;
    } escape;
    auto schedule_escape = [&] {
        ++escape.generation;
        const double grid = escape.time + static_cast<double>(hazard_step_);
        const double spike = escape.rate > 0.0 ? escape.time + escape.budget / escape.rate : grid;
        const bool fires = spike < grid;
        const double at = fires ? spike : grid;
        if (at < static_cast<double>(end)) {
            scheduler_.schedule(
                {static_cast<tick_t>(at), EventKind::population_spike, escape.generation, fires ? 1.0F : 0.0F});
        }
    };
    auto evaluate_escape = [&](tick_t t) {
        escape.budget = std::max(0.0, escape.budget - escape.rate * (static_cast<double>(t) - escape.time));
        escape.time = static_cast<double>(t);
        escape.rate = population_.escape_rate(t, model.biases, counters_);
        schedule_escape();
    };
    if (escaping) {
        // A presentation in a stream starts with the inhibition its predecessor held: the steady state
        // I* = J * R0 * tau at the rate R0 the threshold is set for (§4.3), not the empty one.
        const tick_t start = arrival_onset + wta_onset_;
        population_.set_inhibition(start, params_.inhibition * params_.output_rate_hz * trace_tau_s_);
        escape.time = static_cast<double>(start);
        escape.budget = rng.exponential(1.0);
        escape.generation = 1;
        if (start < end) scheduler_.schedule({start, EventKind::population_spike, 1U, 0.0F});
    }
    const bool windowed = learning != nullptr && rule != nullptr && plasticity_window_ > 0;
    tick_t window_end = arrival_onset + plasticity_window_;
    if (windowed) pending_.assign(population_.size(), 0);
    scheduler_.run_until(end - 1, spikes.size(), arrival, [&](const Event& event) {
        // Windows that ended before this event are learned from first, at their end: nothing has changed
        // the traces or drives since.
        while (windowed && event.time >= window_end) {
            learn_pending(window_end, model, *learning, *rule, rng);
            window_end += plasticity_window_;
        }
        switch (event.kind) {
            case EventKind::synaptic_arrival: {
                ++counters_.input_spikes;
                if (raster != nullptr) raster->push_back({event.time - delay_, event.source, true});
                const std::uint32_t live =
                    memory_ != nullptr ? memory_->live_in_row(event.source) : SoftWtaPopulation::all_synapses;
                std::span<const std::uint32_t> crossed;
                PreRowUpdate update;
                if (learning != nullptr && rule != nullptr) {
                    update = rule->pre_row_update(event.time, learning->weights.targets());
                    if (!update.active()) rule->on_pre(event.source, event.time, learning->weights, counters_);
                }
                if (update.active()) {
                    // Learning presents the model it updates (learning == &model): one pass updates and delivers.
                    crossed = population_.deliver_updating(event.source, event.amplitude, event.time, learning->weights,
                                                           update, model.biases, counters_, live);
                } else {
                    crossed = population_.deliver(event.source, event.amplitude, event.time, model.weights,
                                                  model.biases, counters_, live);
                }
                for (const std::uint32_t k : crossed) fire(k, event.time, model, learning, rule, rng, raster);
                break;
            }
            case EventKind::inhibition:
                population_.inhibit_others(event.source, event.time, counters_);
                if (escaping) evaluate_escape(event.time);
                break;
            case EventKind::population_spike: {
                if (escaping) {
                    if (event.source != escape.generation) break;  // superseded by a later evaluation
                    if (event.amplitude > 0.0F) {
                        const std::uint32_t k = population_.draw_escaping(event.time, model.biases, rng, counters_);
                        escape.time = static_cast<double>(event.time);
                        escape.budget = rng.exponential(1.0);
                        fire(k, event.time, model, learning, rule, rng, raster);
                    }
                    evaluate_escape(event.time);
                    break;
                }
                const std::uint32_t k = population_.draw_winner(event.time, model.biases, rng);
                fire(k, event.time, model, learning, rule, rng, raster);
                schedule_population_spike();
                break;
            }
        }
    });
    if (windowed) learn_pending(std::min(window_end, end), model, *learning, *rule, rng);
    if (raster != nullptr) {
        // Input spikes are recorded at arrival, one delay late: put them back in time order, outputs first at
        // equal times (the order of a queue that held input spikes as events of the last kind).
        std::stable_sort(raster->begin() + static_cast<std::ptrdiff_t>(raster_start), raster->end(),
                         [](const SpikeRecord& a, const SpikeRecord& b) {
                             return std::tie(a.time, a.input) < std::tie(b.time, b.input);
                         });
    }
    return population_.spike_counts();
}

float SpikingNetwork::output_share(std::uint32_t neuron) const {
    return sample_output_spikes_ == 0
               ? 0.0F
               : static_cast<float>(population_.spike_counts()[neuron]) / static_cast<float>(sample_output_spikes_);
}

void SpikingNetwork::learn(const PostSpike& post, tick_t t, NetworkModel& learning, PlasticityRule& rule, Rng& rng) {
    rule.on_post(post, population_.pre_estimates(t), learning.weights, counters_);
    if (memory_ != nullptr && memory_->active()) memory_->after_update(learning.weights, post.neuron, rng, counters_);
}

void SpikingNetwork::learn_pending(tick_t t, const NetworkModel& model, NetworkModel& learning, PlasticityRule& rule,
                                   Rng& rng) {
    for (std::uint32_t k = 0; k < pending_.size(); ++k) {
        if (pending_[k] == 0) continue;
        learn({k, population_.drive(k, t, model.biases), pending_[k], t, output_share(k)}, t, learning, rule, rng);
        pending_[k] = 0;
    }
}

void SpikingNetwork::fire(std::uint32_t neuron, tick_t t, const NetworkModel& model, NetworkModel* learning,
                          PlasticityRule* rule, Rng& rng, std::vector<SpikeRecord>* raster) {
    ++counters_.output_spikes;
    ++sample_output_spikes_;
    population_.record_spike(neuron);
    if (raster != nullptr) raster->push_back({t, neuron, false});
    if (learning != nullptr && rule != nullptr) {
        if (plasticity_window_ > 0) {
            ++pending_[neuron];
        } else {
            // Anti-Hebbian: the sampled spiker steps with its rule when it is the most driven neuron and against
            // it otherwise; it is drawn with probability y_k, so the expected step is the rate form's, where
            // the argmax learns with +y and every other neuron with -y.
            const float sign = anti_hebbian_ && population_.most_driven(t, model.biases) != neuron ? -1.0F : 1.0F;
            learn({neuron, population_.drive(neuron, t, model.biases), 1, t, output_share(neuron), sign}, t, *learning,
                  *rule, rng);
        }
        if (params_.homeostasis_rate > 0.0) {
            auto& b = learning->biases;
            const auto rise = static_cast<float>(params_.homeostasis_rate / static_cast<double>(b.size()));
            for (float& bias : b) bias += rise;
            b[neuron] -= static_cast<float>(params_.homeostasis_rate);
            if (params_.kind == WtaKind::lif) {
                // A bias at or above threshold would fire without input; see SoftWtaPopulation.
                const auto cap = static_cast<float>(params_.threshold);
                for (float& bias : b) bias = std::min(bias, cap);
            }
            counters_.bias_updates += b.size();
        }
    }
    if (params_.kind == WtaKind::lif) {
        population_.reset(neuron, t, counters_);
        scheduler_.schedule({t + inhibition_delay_, EventKind::inhibition, neuron});
    }
}

}  // namespace softspike
