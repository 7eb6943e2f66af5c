#include "run/experiment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>

#include "decoder/label_assignment.hpp"
#include "decoder/linear_readout.hpp"
#include "decoder/online_label_assignment.hpp"
#include "decoder/windowed_accuracy.hpp"
#include "io/progress.hpp"
#include "neurons/input_encoder.hpp"
#include "plasticity/softhebb.hpp"

namespace softspike {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

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

TrainingState initial_training_state(const Config& config, std::size_t inputs) {
    TrainingState state;
    state.model = initial_model(config, inputs);
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
    SpikingNetwork network(encoded_inputs(data.pixels_per_image(), config.encoder), config.population, config.encoder);
    SoftHebb rule(config.plasticity.learning_rate, config.plasticity.adaptive_power);
    rule.restore(std::move(state.rule_state));
    OnlineLabelAssignment online(config.population.neurons, data.classes);
    if (!state.online.counts.empty()) online.restore(std::move(state.online));
    WindowedAccuracy window(1000);
    window.restore(state.window_outcomes);
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
        for (std::uint64_t position = done - epoch * n; position < n; ++position) {
            const std::size_t index = order[position];
            Rng rng = Rng::stream(config.seed, StreamPurpose::train_sample, done);
            const EncodedSample sample = encode(data.image(index), config.encoder, rng);
            const auto spikes =
                network.present_learning(sample, static_cast<tick_t>(done) * network.period(), state.model, rule, rng);
            window.add(online.observe(spikes, data.labels[index]));
            ++done;
            if (done % 1000 == 0 || done == total) state.running_accuracy.emplace_back(done, window.value());
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
    result.model = std::move(state.model);
    result.running_accuracy = std::move(state.running_accuracy);
    return result;
}

FrozenPass run_frozen(const Config& config, const NetworkModel& model, const Dataset& data, FrozenSet set,
                      std::size_t raster_samples, bool show_progress) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    FrozenPass pass;
    pass.rates = RateVectors(n, config.population.neurons);
    pass.rasters.resize(std::min(raster_samples, n));
    PopulationParams frozen_params = config.population;
    frozen_params.output_rate_hz = config.evaluation.output_rate_hz;
    frozen_params.temperature = config.evaluation.temperature;
    tbb::enumerable_thread_specific<SpikingNetwork> networks([&] {
        return SpikingNetwork(encoded_inputs(data.pixels_per_image(), config.encoder), frozen_params, config.encoder);
    });
    Progress progress(set == FrozenSet::test_set ? "eval-test" : "eval-train", n, show_progress);
    std::atomic<std::size_t> done{0};
    // Image i of the test set must not share the random stream of image i of the training set.
    const std::uint64_t stream_base = set == FrozenSet::test_set ? (1ULL << 40U) : 0;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& range) {
        SpikingNetwork& network = networks.local();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            Rng rng = Rng::stream(config.seed, StreamPurpose::eval_sample, stream_base + i);
            const EncodedSample sample = encode(data.image(i), config.encoder, rng);
            std::vector<SpikeRecord>* raster = i < pass.rasters.size() ? &pass.rasters[i] : nullptr;
            const auto spikes = network.present(sample, static_cast<tick_t>(i) * network.period(), model, rng, raster);
            pass.rates.set_row(i, spikes);
        }
        progress.update(done.fetch_add(range.size()) + range.size());
    });
    progress.finish(n);
    for (const SpikingNetwork& network : networks) pass.stats.counters += network.counters();
    pass.stats.images = n;
    pass.stats.seconds = seconds_since(start);
    return pass;
}

ReadoutResult fit_readouts(const Config& config, const FrozenPass& train_pass, const Dataset& train_data,
                           const FrozenPass& test_pass, const Dataset& test_data) {
    const auto start = std::chrono::steady_clock::now();
    ReadoutResult result;
    LabelAssignment assignment;
    assignment.fit(train_pass.rates, train_data.labels, train_data.classes);
    result.label_assignment_predictions = assignment.predict(test_pass.rates);
    result.label_assignment_accuracy = accuracy(result.label_assignment_predictions, test_data.labels);
    LinearReadout readout;
    readout.fit(train_pass.rates, train_data.labels, train_data.classes, config.readout, config.seed);
    result.linear_readout_predictions = readout.predict(test_pass.rates);
    result.linear_readout_accuracy = accuracy(result.linear_readout_predictions, test_data.labels);
    result.linear_readout_train_accuracy = accuracy(readout.predict(train_pass.rates), train_data.labels);
    result.seconds = seconds_since(start);
    return result;
}

}  // namespace softspike
