#include "run/rate_training.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <numeric>

#include "core/progress.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "neurons/input_encoder.hpp"
#include "plasticity/rule_registry.hpp"
#include "readout/online_label_assignment.hpp"
#include "readout/windowed_accuracy.hpp"
#include "run/image_blocks.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"
#include "run/training.hpp"

namespace softspike {

namespace {

// The input rows of `indices`: the encoder's intensities (pixels, or ON/OFF channels) at unit norm, what the
// spiking form's traces estimate (docs/model.md §7).
void gather_inputs(const Config& config, const Dataset& data, std::span<const std::size_t> indices,
                   std::vector<float>& x, std::size_t inputs) {
    x.resize(indices.size() * inputs);
    for (std::size_t b = 0; b < indices.size(); ++b) {
        const std::vector<float> row = normalised_input(data.image(indices[b]), config.encoder);
        std::copy(row.begin(), row.end(), x.begin() + static_cast<std::ptrdiff_t>(b * inputs));
    }
}

}  // namespace

std::vector<NetworkModel> initial_rate_layers(const Config& config, std::size_t inputs) {
    std::vector<NetworkModel> layers;
    layers.push_back(initial_model(config, inputs));
    std::size_t previous = config.population.neurons;
    for (std::size_t l = 0; l < config.rate.hidden_layers.size(); ++l) {
        std::uint64_t state = config.seed + 0x5DEECE66DULL * (l + 1);
        const std::uint64_t seed = splitmix64(state);
        layers.push_back(
            make_initial_model(previous, config.rate.hidden_layers[l], 0, config.plasticity.initial_weight_norm, seed));
        previous = config.rate.hidden_layers[l];
    }
    return layers;
}

RateTrainingResult train_rate(const Config& config, const Dataset& data, bool show_progress) {
    require_rate_form(config);
    const LoweredConfig lowered = lower(config);
    const auto start = std::chrono::steady_clock::now();
    const std::size_t inputs = encoded_inputs(data.pixels_per_image(), config.encoder);
    RateNetwork network(initial_rate_layers(config, inputs), lowered.rate_network);
    const std::unique_ptr<PlasticityRule> rule = make_rule(config.plasticity);
    const std::uint64_t n = data.size();
    const std::size_t epochs = lowered.rate_epochs;
    const std::uint64_t total = n * epochs;
    const std::size_t batch_size = config.rate.batch;
    RateTrainingResult result;
    OnlineLabelAssignment online(network.outputs(), data.classes);
    WindowedAccuracy window(1000);
    Progress progress("train-rate", total, show_progress);
    std::vector<std::size_t> order(n);
    std::vector<float> x;
    std::vector<float> features;
    std::vector<std::uint32_t> winner(network.outputs(), 0);
    std::uint64_t done = 0;
    for (std::size_t epoch = 0; epoch < epochs; ++epoch) {
        // The spiking form's order: the same permutation stream per epoch.
        std::iota(order.begin(), order.end(), 0);
        if (config.training.shuffle) {
            Rng rng = Rng::stream(config.seed, StreamPurpose::shuffle, epoch);
            shuffle_in_place(order, rng);
        }
        for (std::size_t first = 0; first < n; first += batch_size) {
            const std::size_t batch = std::min<std::size_t>(batch_size, n - first);
            const std::span<const std::size_t> indices(order.data() + first, batch);
            gather_inputs(config, data, indices, x, inputs);
            network.run(x, batch, features, result.counters, rule.get());
            const std::size_t outputs = network.outputs();
            for (std::size_t b = 0; b < batch; ++b) {
                const float* f = features.data() + b * outputs;
                const auto k = static_cast<std::size_t>(std::max_element(f, f + outputs) - f);
                winner[k] = 1;
                window.add(online.observe(winner, data.labels[indices[b]]));
                winner[k] = 0;
                ++done;
                if (done % 1000 == 0 || done == total) result.running_accuracy.emplace_back(done, window.value());
            }
            progress.update(done, window.value());
        }
    }
    progress.finish(done, window.value());
    result.layers = network.models();
    result.images = done;
    result.seconds = seconds_since(start);
    return result;
}

RatePass run_rate_frozen(const Config& config, const std::vector<NetworkModel>& layers, const Dataset& data,
                         const char* phase, bool show_progress) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    const std::size_t inputs = encoded_inputs(data.pixels_per_image(), config.encoder);
    const RateNetwork prototype(layers, lower(config).rate_network);
    RatePass pass;
    pass.features = RateVectors(n, prototype.outputs());
    struct Worker {
        RateNetwork network;
        RateCounters counters;
        std::vector<float> x;
        std::vector<float> features;
    };
    Progress progress(phase, n, show_progress);
    const auto workers = for_each_image_block(
        n, 256, progress,
        [&] {
            return Worker{prototype, {}, {}, {}};
        },
        [&](Worker& w, std::span<const std::size_t> indices, std::size_t first) {
            gather_inputs(config, data, indices, w.x, inputs);
            w.network.run(w.x, indices.size(), w.features, w.counters);
            std::copy(w.features.begin(), w.features.end(),
                      pass.features.counts.begin() + static_cast<std::ptrdiff_t>(first * prototype.outputs()));
        });
    for (const Worker& w : workers) pass.counters += w.counters;
    pass.seconds = seconds_since(start);
    return pass;
}

}  // namespace softspike
