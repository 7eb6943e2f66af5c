#include "run/experiment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <numbers>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/wall_clock.hpp"
#include "readout/label_assignment.hpp"
#include "readout/linear_readout.hpp"
#include "readout/online_label_assignment.hpp"
#include "readout/windowed_accuracy.hpp"
#include "core/progress.hpp"
#include "neurons/input_encoder.hpp"
#include "plasticity/rule_registry.hpp"
#include "run/lowering.hpp"

namespace softspike {

NetworkModel initial_model(const Config& config, std::size_t inputs) {
    return make_initial_model(inputs, config.population.neurons, ms_to_ticks(config.population.synaptic_delay_ms),
                              config.plasticity.initial_weight_norm, config.seed);
}

std::uint64_t estimated_run_bytes(const Config& config, std::size_t inputs, std::size_t train_images,
                                  std::size_t test_images) {
    const std::uint64_t neurons = config.population.neurons;
    const std::uint64_t weights = 4ULL * (inputs + 1) * neurons;  // weights + biases
    // A training run keeps the trained model and a copy in its last checkpoint snapshot.
    const std::uint64_t models = weights * 2;
    const std::uint64_t rates = 4ULL * (train_images + test_images) * neurons;
    // Per worker: traces, drives, logits and cumulative weights (a generous 64 bytes per neuron and input).
    const std::uint64_t per_thread = 64ULL * (inputs + neurons);
    return models + rates + per_thread * 64;
}

NetworkShape network_shape(const Config& config, std::size_t inputs) {
    return {inputs, config.population.neurons, config.encoder.presentation_ms,
            config.population.kind == WtaKind::lif};
}

HardwareFigures rate_form_figures(const Config& config, const Dataset& data, const Projection& weights,
                                  bool learning) {
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

EncodedSample encode_sample(std::span<const float> pixels, const Config& config, Rng& rng) {
    EncodedSample sample;
    if (config.chip.input_noise > 0.0) {
        std::vector<float> noisy(pixels.begin(), pixels.end());
        for (float& p : noisy) {
            p = std::clamp(p + static_cast<float>(config.chip.input_noise * rng.normal()), 0.0F, 1.0F);
        }
        sample = encode(noisy, config.encoder, rng);
    } else {
        sample = encode(pixels, config.encoder, rng);
    }
    if (config.chip.spike_budget > 0 && sample.spikes.size() > config.chip.spike_budget) {
        sample.spikes.resize(config.chip.spike_budget);  // the train is time-sorted: these are the earliest
    }
    return sample;
}

SynapseMemory synapse_memory(const Config& config, std::size_t inputs) {
    return {config.chip, inputs, config.population.neurons, config.seed};
}

TrainingState initial_training_state(const Config& config, std::size_t inputs) {
    TrainingState state;
    state.model = initial_model(config, inputs);
    Rng rng = Rng::stream(config.seed, StreamPurpose::weight_programming, 0);
    synapse_memory(config, inputs).program(state.model.weights, rng);
    return state;
}

TrainingResult train(const Config& config, const Dataset& data, TrainingState state, bool show_progress,
                     const CheckpointSink& checkpoint) {
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
    SpikingNetwork network(inputs, config.population, config.encoder);
    const SynapseMemory memory = synapse_memory(config, inputs);
    network.set_synapse_memory(&memory);
    network.set_plasticity_window(ms_to_ticks(config.chip.plasticity_window_ms));
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
    Progress progress("train", total, show_progress, state.images_done);
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
            for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
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
    result.stats.hardware = hardware_figures(result.stats.counters, done, network_shape(config, inputs), config.chip,
                                             state.model.weights);
    result.model = std::move(state.model);
    result.running_accuracy = std::move(state.running_accuracy);
    result.running_accuracy_linear = std::move(state.running_accuracy_linear);
    return result;
}

FrozenPass run_frozen(const Config& config, const NetworkModel& model, const Dataset& data, FrozenSet set,
                      std::size_t raster_samples, bool show_progress) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    FrozenPass pass;
    pass.rates = RateVectors(n, config.population.neurons);
    pass.rasters.resize(std::min(raster_samples, n));
    const PopulationParams frozen_params = lower(config).evaluation_population;
    const std::size_t inputs = encoded_inputs(data.pixels_per_image(), config.encoder);
    const SynapseMemory memory = synapse_memory(config, inputs);
    // The weights as the chip holds them: on its grid, dead synapses zero, and with device mismatch if asked.
    NetworkModel chip_model;
    const NetworkModel* read = &model;
    if (memory.active() || config.chip.weight_noise > 0.0) {
        chip_model = model;
        Rng programming = Rng::stream(config.seed, StreamPurpose::weight_programming, 1);
        memory.program(chip_model.weights, programming);
        if (config.chip.weight_noise > 0.0) {
            std::vector<float>& w = chip_model.weights.weights();
            double sum_sq = 0.0;
            for (const float v : w) sum_sq += static_cast<double>(v) * v;
            const double sigma = config.chip.weight_noise * std::sqrt(sum_sq / static_cast<double>(w.size()));
            Rng noise = Rng::stream(config.seed, StreamPurpose::weight_noise, 0);
            for (float& v : w) v += static_cast<float>(sigma * noise.normal());
            memory.program(chip_model.weights, programming);  // dead synapses stay absent
        }
        read = &chip_model;
    }
    tbb::enumerable_thread_specific<SpikingNetwork> networks([&] {
        SpikingNetwork network(inputs, frozen_params, config.encoder);
        network.set_synapse_memory(&memory);
        return network;
    });
    Progress progress(set == FrozenSet::test_set ? "eval-test" : "eval-train", n, show_progress);
    std::atomic<std::size_t> done{0};
    // Image i of the test set must not share the random stream of image i of the training set.
    const std::uint64_t stream_base = set == FrozenSet::test_set ? (1ULL << 40U) : 0;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& range) {
        SpikingNetwork& network = networks.local();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            Rng rng = Rng::stream(config.seed, StreamPurpose::eval_sample, stream_base + i);
            const EncodedSample sample = encode_sample(data.image(i), config, rng);
            std::vector<SpikeRecord>* raster = i < pass.rasters.size() ? &pass.rasters[i] : nullptr;
            const auto spikes = network.present(sample, static_cast<tick_t>(i) * network.period(), *read, rng, raster);
            pass.rates.set_row(i, spikes);
        }
        progress.update(done.fetch_add(range.size()) + range.size());
    });
    progress.finish(n);
    for (const SpikingNetwork& network : networks) pass.stats.counters += network.counters();
    pass.stats.images = n;
    pass.stats.seconds = seconds_since(start);
    pass.stats.hardware =
        hardware_figures(pass.stats.counters, n, network_shape(config, inputs), config.chip, read->weights);
    return pass;
}

ReadoutResult fit_readouts(const Config& config, const RateVectors& train_rates, const Dataset& train_data,
                           const RateVectors& test_rates, const Dataset& test_data) {
    const auto start = std::chrono::steady_clock::now();
    ReadoutResult result;
    LabelAssignment assignment;
    assignment.fit(train_rates, train_data.labels, train_data.classes);
    result.label_assignment_predictions = assignment.predict(test_rates);
    result.label_assignment_accuracy = accuracy(result.label_assignment_predictions, test_data.labels);
    LinearReadout readout;
    readout.fit(train_rates, train_data.labels, train_data.classes, config.readout, config.seed);
    result.linear_readout_predictions = readout.predict(test_rates);
    result.linear_readout_accuracy = accuracy(result.linear_readout_predictions, test_data.labels);
    result.linear_readout_train_accuracy = accuracy(readout.predict(train_rates), train_data.labels);
    result.seconds = seconds_since(start);
    return result;
}

}  // namespace softspike
