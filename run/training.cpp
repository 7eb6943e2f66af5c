#include "run/training.hpp"

#include <tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/progress.hpp"
#include "core/wall_clock.hpp"
#include "network/spiking_network.hpp"
#include "plasticity/rule_registry.hpp"
#include "readout/online_label_assignment.hpp"
#include "readout/online_linear_readout.hpp"
#include "readout/windowed_accuracy.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"

namespace softspike {

namespace {
// A training sample encoded ahead of its presentation, with its random stream where the encoding left it.
struct PreparedSample {
    EncodedSample sample;
    Rng rng;
};
}  // namespace

float learning_rate_scale(const TrainingConfig& training, std::uint64_t done, std::uint64_t total) {
    if (training.learning_rate_schedule == LearningRateSchedule::constant || total == 0) return 1.0F;
    const double progress = static_cast<double>(done) / static_cast<double>(total);
    const double f = training.final_learning_rate;
    const double fall = training.learning_rate_schedule == LearningRateSchedule::linear
                            ? 1.0 - progress
                            : 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    return static_cast<float>(f + (1.0 - f) * fall);
}

TrainingResult train(const Config& config, const Dataset& data, TrainingState state, bool show_progress,
                     const CheckpointSink& checkpoint, const ProgressSink& progress_sink) {
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t n = data.size();
    const std::uint64_t total = n * config.training.epochs;
    if (state.images_done > total) {
        throw std::invalid_argument("train: the state has " + std::to_string(state.images_done) +
                                    " images done, the run has only " + std::to_string(total));
    }
    TrainingResult result;
    result.resumed_from = state.images_done;
    const std::size_t inputs = encoded_inputs(data.pixels_per_image(), config.encoder);
    SpikingNetwork network(inputs, lower(config).training_population, config.encoder);
    const SynapseMemory memory = synapse_memory(config, inputs);
    network.set_synapse_memory(&memory);
    network.set_plasticity_window(ms_to_ticks(config.chip.plasticity_window_ms));
    network.set_anti_hebbian(config.plasticity.anti_hebbian);
    const std::unique_ptr<PlasticityRule> rule_owner = make_rule(config.plasticity);
    PlasticityRule& rule = *rule_owner;
    rule.restore(std::move(state.rule_state));
    OnlineLabelAssignment online(config.population.neurons, data.classes);
    if (!state.online.counts.empty()) online.restore(std::move(state.online));
    WindowedAccuracy window(1000);
    window.restore(state.window_outcomes);
    OnlineLinearReadout linear(config.population.neurons, data.classes);
    if (!state.linear.weights.empty()) linear.restore(std::move(state.linear));
    WindowedAccuracy linear_window(1000);
    linear_window.restore(state.linear_window_outcomes);
    Progress progress("train", total, show_progress, state.images_done, progress_sink);
    const EventCounters counters_before = state.counters;
    const double seconds_before = state.seconds;
    auto snapshot = [&](std::uint64_t done) {
        state.images_done = done;
        state.counters = counters_before;
        state.counters += network.counters();
        state.seconds = seconds_before + seconds_since(start);
        state.rule_state = rule.state();
        state.online = online.state();
        state.window_outcomes = window.outcomes();
        state.linear = linear.state();
        state.linear_window_outcomes = linear_window.outcomes();
        checkpoint(state);
    };
    const std::uint64_t every = config.training.checkpoint_every;
    std::vector<std::size_t> order(n);
    std::uint64_t done = state.images_done;
    for (std::uint64_t epoch = done / std::max<std::uint64_t>(n, 1); epoch < config.training.epochs; ++epoch) {
        std::iota(order.begin(), order.end(), 0);
        if (config.training.shuffle) {
            Rng rng = Rng::stream(config.seed, StreamPurpose::shuffle, epoch);
            shuffle_in_place(order, rng);
        }
        // Learning is sequential, but a sample's encoding depends only on its image and its own random stream:
        // the next sample is encoded on another core while this one is presented (a fifth of the default
        // network's training profile). The presentation continues the stream where the encoding left it, so
        // the numbers are those of encoding and presenting in turn, whatever the thread count.
        auto prepare = [&](std::uint64_t image_number, std::uint64_t position) {
            PreparedSample prepared{{}, Rng::stream(config.seed, StreamPurpose::train_sample, image_number)};
            prepared.sample = encode_sample(data.image(order[position]), config, prepared.rng);
            return prepared;
        };
        std::uint64_t position = done - epoch * n;
        std::optional<PreparedSample> next;
        if (position < n) next = prepare(done, position);
        tbb::task_group encoder;
        for (; position < n; ++position) {
            const std::size_t index = order[position];
            PreparedSample current = std::move(*next);
            rule.set_rate_scale(learning_rate_scale(config.training, done, total));
            if (position + 1 < n) encoder.run([&, image = done + 1, at = position + 1] { next = prepare(image, at); });
            const EncodedSample& sample = current.sample;
            Rng& rng = current.rng;
            const auto spikes =
                network.present_learning(sample, static_cast<tick_t>(done) * network.period(), state.model, rule, rng);
            encoder.wait();
            window.add(online.observe(spikes, data.labels[index]));
            linear_window.add(linear.observe(spikes, data.labels[index]));
            ++done;
            if (done % 1000 == 0 || done == total) {
                state.running_accuracy.emplace_back(done, window.value());
                state.running_accuracy_linear.emplace_back(done, linear_window.value());
            }
            progress.update(done, window.value());
            if (checkpoint && every > 0 && done % every == 0 && done < total) snapshot(done);
        }
    }
    progress.finish(done, window.value());
    if (checkpoint) snapshot(done);
    result.stats.counters = counters_before;
    result.stats.counters += network.counters();
    result.stats.images = done;
    result.stats.seconds = seconds_before + seconds_since(start);
    result.stats.hardware =
        hardware_figures(result.stats.counters, done, network_shape(config, inputs), config.chip, state.model.weights);
    result.model = std::move(state.model);
    result.running_accuracy = std::move(state.running_accuracy);
    result.running_accuracy_linear = std::move(state.running_accuracy_linear);
    return result;
}

}  // namespace softspike
