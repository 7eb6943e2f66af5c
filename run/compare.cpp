#include "run/compare.hpp"

#include <chrono>

#include "neurons/encoder_params.hpp"
#include "run/evaluation.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"

namespace softspike {

namespace {

double per_image(std::uint64_t count, std::uint64_t images) {
    return images > 0 ? static_cast<double>(count) / static_cast<double>(images) : 0.0;
}

// The spiking form with frozen `model` over both sets, read out; `config` sets the budget.
ComparePoint spiking_point(const Config& config, const NetworkModel& model, const Dataset& train_data,
                           const Dataset& test_data, const std::string& weights, bool show_progress) {
    const FrozenPass train_pass = run_frozen(config, model, train_data, FrozenSet::training_set, 0, show_progress);
    const FrozenPass test_pass = run_frozen(config, model, test_data, FrozenSet::test_set, 0, show_progress);
    const ReadoutResult readout = fit_readouts(config, train_pass, train_data, test_pass, test_data);
    const EventCounters& c = test_pass.stats.counters;
    const std::uint64_t n = test_pass.stats.images;
    ComparePoint p;
    p.form = "spiking";
    p.weights = weights;
    p.spike_budget = config.chip.spike_budget;
    p.spikes_per_image = config.evaluation.spikes_per_image;
    p.signal = config.evaluation.signal == EvaluationSignal::drive ? "drive" : "spike_counts";
    p.linear_accuracy = readout.linear_readout_accuracy;
    p.linear_train_accuracy = readout.linear_readout_train_accuracy;
    p.readout_l2 = readout.linear_readout_l2;
    p.label_assignment_accuracy = readout.label_assignment_accuracy;
    p.input_spikes = per_image(c.input_spikes, n);
    p.output_spikes = per_image(c.output_spikes, n);
    p.synaptic_events = per_image(c.synaptic_events, n);
    p.effective_ops = per_image(c.effective_acs + c.effective_macs, n);
    p.eval_seconds = test_pass.stats.seconds;
    return p;
}

ComparePoint rate_point(const Config& config, const std::vector<NetworkModel>& layers, const Dataset& train_data,
                        const Dataset& test_data, const std::string& weights, bool show_progress) {
    const RatePass train_pass = run_rate_frozen(config, layers, train_data, "rate-eval-train", show_progress);
    const RatePass test_pass = run_rate_frozen(config, layers, test_data, "rate-eval-test", show_progress);
    const ReadoutResult readout = fit_readouts(config, train_pass.features, train_data, test_pass.features, test_data);
    const RateCounters& c = test_pass.counters;
    const std::uint64_t n = test_data.size();
    ComparePoint p;
    p.form = "rate";
    p.weights = weights;
    p.linear_accuracy = readout.linear_readout_accuracy;
    p.linear_train_accuracy = readout.linear_readout_train_accuracy;
    p.readout_l2 = readout.linear_readout_l2;
    p.label_assignment_accuracy = readout.label_assignment_accuracy;
    p.macs = per_image(c.macs, n);
    p.effective_ops = per_image(c.effective_macs, n);
    p.eval_seconds = test_pass.seconds;
    return p;
}

}  // namespace

CompareResult run_compare(const Config& config, const Dataset& train_data, const Dataset& test_data,
                          const CompareForms& forms, bool show_progress) {
    CompareResult result;
    const std::size_t inputs = encoded_inputs(train_data.pixels_per_image(), config.encoder);
    if (forms.rate) require_rate_form(config);
    if (forms.spiking) {
        result.spiking = train(config, train_data, initial_training_state(config, inputs), show_progress);
        const TrainingResult& t = *result.spiking;
        CompareTraining row;
        row.form = "spiking";
        row.images = t.stats.images;
        row.seconds = t.stats.seconds;
        row.synaptic_events = per_image(t.stats.counters.synaptic_events, t.stats.images);
        row.plasticity_updates = per_image(t.stats.counters.plasticity_updates, t.stats.images);
        row.plasticity_macs = row.plasticity_updates;
        row.running_accuracy = t.running_accuracy;
        result.training.push_back(std::move(row));
    }
    if (forms.rate) {
        result.rate = train_rate(config, train_data, show_progress);
        const RateTrainingResult& t = *result.rate;
        CompareTraining row;
        row.form = "rate";
        row.images = t.images;
        row.seconds = t.seconds;
        row.synaptic_events = per_image(t.counters.macs, t.images);
        row.plasticity_updates = per_image(t.counters.plasticity_updates, t.images);
        row.plasticity_macs = per_image(t.counters.plasticity_macs, t.images);
        row.running_accuracy = t.running_accuracy;
        result.training.push_back(std::move(row));
    }
    if (forms.spiking) {
        result.points.push_back(
            spiking_point(config, result.spiking->model, train_data, test_data, "spike-trained", show_progress));
    }
    if (forms.rate) {
        result.points.push_back(
            rate_point(config, result.rate->layers, train_data, test_data, "rate-trained", show_progress));
    }
    if (forms.spiking && forms.rate && config.compare.transfer) {
        // The spiking form has one layer: it takes the rate model's first; the rate model, the spiking
        // layer under its own stacked layers (when there are any, as trained on the rate form's features).
        result.points.push_back(
            spiking_point(config, result.rate->layers.front(), train_data, test_data, "rate-trained", show_progress));
        std::vector<NetworkModel> layers = result.rate->layers;
        layers.front() = result.spiking->model;
        result.points.push_back(rate_point(config, layers, train_data, test_data, "spike-trained", show_progress));
    }
    if (forms.spiking) {
        // One sweep point: the spike-trained model evaluated with `varied`; the main point when nothing varied.
        const nlohmann::json main_config = config_to_json(config);
        auto sweep_point = [&](const char* sweep, const Config& varied) {
            ComparePoint p = config_to_json(varied) == main_config
                                 ? result.points.front()
                                 : spiking_point(varied, result.spiking->model, train_data, test_data, "spike-trained",
                                                 show_progress);
            p.sweep = sweep;
            result.sweep.push_back(std::move(p));
        };
        for (const std::uint32_t budget : config.compare.spike_budgets) {
            Config varied = config;
            varied.chip.spike_budget = budget;
            sweep_point("spike_budget", varied);
        }
        for (const std::uint32_t spikes : config.compare.input_spikes) {
            Config varied = config;
            varied.evaluation.spikes_per_image = spikes;
            sweep_point("input_spikes", varied);
        }
        const double drawing_ms = config.encoder.presentation_ms - config.population.onset_ms;
        for (const std::uint32_t draws : config.compare.output_draws) {
            Config varied = config;
            if (draws == 0) {
                varied.evaluation.signal = EvaluationSignal::drive;
            } else {
                varied.evaluation.signal = EvaluationSignal::spike_counts;
                varied.evaluation.output_rate_hz = 1000.0 * draws / drawing_ms;
            }
            sweep_point("output_draws", varied);
        }
    }
    return result;
}

}  // namespace softspike
