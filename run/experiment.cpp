#include "run/experiment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <numeric>

#include "decoder/label_assignment.hpp"
#include "decoder/linear_readout.hpp"
#include "decoder/online_label_assignment.hpp"
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

TrainingResult train(const Config& config, const Dataset& data, NetworkModel model, bool show_progress) {
    TrainingResult result{std::move(model), {}, {}};
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    const std::size_t total = n * config.training.epochs;
    SpikingNetwork network(encoded_inputs(data.pixels_per_image(), config.encoder), config.population, config.encoder);
    SoftHebb rule(config.plasticity.learning_rate, config.plasticity.adaptive_power);
    OnlineLabelAssignment online(config.population.neurons, data.classes);
    Progress progress("train", total, show_progress);
    std::vector<std::size_t> order(n);
    std::vector<bool> window_hits;
    std::size_t window_correct = 0;
    constexpr std::size_t window = 1000;
    std::size_t done = 0;
    for (std::size_t epoch = 0; epoch < config.training.epochs; ++epoch) {
        std::iota(order.begin(), order.end(), 0);
        if (config.training.shuffle) {
            Rng rng = Rng::stream(config.seed, StreamPurpose::shuffle, epoch);
            for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
        }
        for (std::size_t position = 0; position < n; ++position, ++done) {
            const std::size_t index = order[position];
            Rng rng = Rng::stream(config.seed, StreamPurpose::train_sample, done);
            const EncodedSample sample = encode(data.image(index), config.encoder, rng);
            const auto spikes =
                network.present_learning(sample, static_cast<tick_t>(done) * network.period(), result.model, rule, rng);
            const bool hit = online.observe(spikes, data.labels[index]);
            window_hits.push_back(hit);
            window_correct += hit ? 1 : 0;
            if (window_hits.size() > window) window_correct -= window_hits[window_hits.size() - window - 1] ? 1 : 0;
            const std::size_t in_window = std::min(window_hits.size(), window);
            const double running = static_cast<double>(window_correct) / static_cast<double>(in_window);
            if ((done + 1) % 1000 == 0 || done + 1 == total) result.running_accuracy.emplace_back(done + 1, running);
            progress.update(done + 1, running);
        }
    }
    progress.finish(done, result.running_accuracy.empty() ? -1.0 : result.running_accuracy.back().second);
    result.stats.counters = network.counters();
    result.stats.images = done;
    result.stats.seconds = seconds_since(start);
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
