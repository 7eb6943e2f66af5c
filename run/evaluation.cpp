#include "run/evaluation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>

#include "core/progress.hpp"
#include "core/wall_clock.hpp"
#include "rate/rate_network.hpp"
#include "readout/label_assignment.hpp"
#include "readout/linear_readout.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"

namespace softspike {

FrozenPass run_frozen(const Config& config, const NetworkModel& model, const Dataset& data, FrozenSet set,
                      std::size_t raster_samples, bool show_progress, const ProgressSink& progress_sink) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    FrozenPass pass;
    pass.rates = RateVectors(n, config.population.neurons);
    pass.rasters.resize(std::min(raster_samples, n));
    const LoweredConfig lowered = lower(config);
    const PopulationParams& frozen_params = lowered.evaluation_population;
    const bool read_drive = config.evaluation.signal == EvaluationSignal::drive;
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
            Rng noise = Rng::stream(config.seed, StreamPurpose::weight_noise, 0);
            add_mismatch(chip_model.weights.weights(), config.chip.weight_noise, noise);
            memory.program(chip_model.weights, programming);  // dead synapses stay absent
        }
        read = &chip_model;
    }
    tbb::enumerable_thread_specific<SpikingNetwork> networks([&] {
        SpikingNetwork network(inputs, frozen_params, lowered.evaluation_encoder);
        network.set_synapse_memory(&memory);
        return network;
    });
    Progress progress(set == FrozenSet::test_set ? "eval-test" : "eval-train", n, show_progress, 0, progress_sink);
    std::atomic<std::size_t> done{0};
    // Image i of the test set must not share the random stream of image i of the training set.
    const std::uint64_t stream_base = set == FrozenSet::test_set ? (1ULL << 40U) : 0;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& range) {
        SpikingNetwork& network = networks.local();
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
            Rng rng = Rng::stream(config.seed, StreamPurpose::eval_sample, stream_base + i);
            const EncodedSample sample = encode_sample(data.image(i), config, lowered.evaluation_encoder, rng);
            std::vector<SpikeRecord>* raster = i < pass.rasters.size() ? &pass.rasters[i] : nullptr;
            const auto spikes = network.present(sample, static_cast<tick_t>(i) * network.period(), *read, rng, raster);
            if (read_drive) {
                // The membranes read once at the window's end; softmax features are the expected share of each
                // neuron in draws at the evaluation temperature.
                const std::span<float> row = pass.rates.row(i);
                network.final_drives(*read, row);
                activate(row, 1, config.evaluation.drive_features, frozen_params.temperature);
            } else {
                pass.rates.set_row(i, spikes);
            }
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

FittedReadout fit_linear_readout(const Config& config, const RateVectors& train_rates, const Dataset& train_data) {
    FittedReadout fitted;
    LinearReadoutParams params = config.readout;
    if (!params.l2_candidates.empty()) {
        fitted.selection = select_l2(train_rates, train_data.labels, train_data.classes, params, config.seed);
        params.l2 = fitted.selection->chosen;
    }
    fitted.l2 = params.l2;
    fitted.readout.fit(train_rates, train_data.labels, train_data.classes, params, config.seed);
    return fitted;
}

ReadoutResult fit_readouts(const Config& config, const RateVectors& train_rates, const Dataset& train_data,
                           const RateVectors& test_rates, const Dataset& test_data) {
    const auto start = std::chrono::steady_clock::now();
    ReadoutResult result;
    LabelAssignment assignment;
    assignment.fit(train_rates, train_data.labels, train_data.classes);
    result.label_assignment_predictions = assignment.predict(test_rates);
    result.label_assignment_accuracy = accuracy(result.label_assignment_predictions, test_data.labels);
    FittedReadout fitted = fit_linear_readout(config, train_rates, train_data);
    result.l2_selection = std::move(fitted.selection);
    result.linear_readout_l2 = fitted.l2;
    const LinearReadout& readout = fitted.readout;
    result.linear_readout_predictions = readout.predict(test_rates);
    result.linear_readout_accuracy = accuracy(result.linear_readout_predictions, test_data.labels);
    result.linear_readout_train_accuracy = accuracy(readout.predict(train_rates), train_data.labels);
    result.seconds = seconds_since(start);
    return result;
}

}  // namespace softspike
