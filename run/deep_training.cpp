#include "run/deep_training.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "chip/kernel_memory.hpp"
#include "core/errors.hpp"
#include "core/progress.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "plasticity/rule_registry.hpp"
#include "run/image_blocks.hpp"

namespace softspike {

TensorShape deep_input_shape(const Dataset& data) { return {data.channels, data.rows, data.cols}; }

DeepRateNetwork initial_deep_network(const Config& config, const Dataset& data) {
    const TensorShape input = deep_input_shape(data);
    if (const std::string problem = DeepRateNetwork::problem(input, config.network.layers); !problem.empty()) {
        throw ConfigError("network." + problem);
    }
    return {input, config.network.layers, config.seed};
}

void epoch_order(const Config& config, std::size_t epoch, std::vector<std::size_t>& order) {
    std::iota(order.begin(), order.end(), 0);
    if (!config.training.shuffle) return;
    Rng rng = Rng::stream(config.seed, StreamPurpose::shuffle, epoch);
    shuffle_in_place(order, rng);
}

Rng learning_rounding_stream(std::uint64_t seed, std::size_t block) {
    // Apart from chip_kernels' programming streams (1 + block) for frozen passes.
    return Rng::stream(seed, StreamPurpose::weight_programming, (1ULL << 32U) + block);
}

KernelNormPoint kernel_norm_point(std::size_t block, std::uint64_t images, const std::vector<float>& norms) {
    KernelNormPoint p{block, images, 0.0, 0.0, 0.0, 0.0};
    if (norms.empty()) return p;
    double sum = 0.0;
    for (const float v : norms) sum += v;
    p.mean = sum / static_cast<double>(norms.size());
    double squares = 0.0;
    for (const float v : norms) squares += (v - p.mean) * (v - p.mean);
    p.sd = std::sqrt(squares / static_cast<double>(norms.size()));
    const auto [lo, hi] = std::minmax_element(norms.begin(), norms.end());
    p.min = *lo;
    p.max = *hi;
    return p;
}

DeepTrainingResult train_deep(const Config& config, const Dataset& data, DeepRateNetwork& network, bool show_progress,
                              const DeepTrainingState* resume, const DeepCheckpointSink& sink) {
    const auto start = std::chrono::steady_clock::now();
    const std::unique_ptr<PlasticityRule> rule = make_rule(config.plasticity);
    if (!find_rule(config.plasticity.rule)->has_rate_form) {
        throw ConfigError("plasticity.rule: expected a rule with a rate form (" + rule_names(true) +
                          ") for a deep network, found \"" + config.plasticity.rule + "\"");
    }
    const NetworkConfig& net = config.network;
    const std::size_t n = data.size();
    const std::size_t depth = network.depth();
    const bool by_layer = net.training == DeepTraining::layer_by_layer;
    const std::size_t stages = by_layer ? depth : 1;
    DeepTrainingResult result;
    result.counters.resize(depth);
    std::size_t first_stage = 0;
    double seconds_before = 0.0;
    if (resume != nullptr) {
        if (resume->stages_done > stages || resume->result.counters.size() != depth) {
            throw std::invalid_argument("train_deep: the resume state does not fit the network");
        }
        result = resume->result;
        first_stage = resume->stages_done;
        result.resumed_stages = first_stage;
        seconds_before = resume->result.seconds;
    }
    std::vector<std::size_t> order(n);
    std::vector<float> images;
    std::vector<float> features;
    std::size_t done = result.presentations;
    for (std::size_t stage = first_stage; stage < stages; ++stage) {
        const std::size_t first = by_layer ? stage : 0;
        const std::size_t last = by_layer ? stage : depth - 1;
        // One progress line per stage: the stages differ in cost a hundredfold, so one ETA over all would lie.
        const std::string phase =
            by_layer ? "train-deep layer " + std::to_string(stage + 1) + "/" + std::to_string(depth) : "train-deep";
        Progress progress(phase, net.epochs * n, show_progress);
        const auto stage_start = std::chrono::steady_clock::now();
        std::size_t stage_done = 0;
        const std::size_t stage_images = net.epochs * n;
        CurveSchedule curve(stage_images);
        const auto record = [&] {
            for (std::size_t b = first; b <= last; ++b) {
                result.curve.push_back(kernel_norm_point(b, stage_done, network.block(b).kernel_norms()));
            }
        };
        record();
        // On a chip the learning blocks' kernels live in its memory: programmed, then rounded after every step.
        std::vector<KernelMemory> memories;
        std::vector<Rng> rounding;
        for (std::size_t b = first; b <= last; ++b) {
            const Projection& w = network.block(b).kernels().weights;
            memories.emplace_back(config.chip, w.sources(), w.targets(), config.seed, b);
            rounding.push_back(learning_rounding_stream(config.seed, b));
        }
        const auto store = [&] {
            for (std::size_t b = first; b <= last; ++b) {
                KernelMemory& memory = memories[b - first];
                if (memory.active()) memory.store(network.block(b).kernels().weights.weights(), rounding[b - first]);
            }
        };
        store();
        for (std::size_t epoch = 0; epoch < net.epochs; ++epoch) {
            epoch_order(config, epoch, order);
            for (std::size_t at = 0; at < n; at += net.batch) {
                const std::size_t batch = std::min(net.batch, n - at);
                data.gather(std::span<const std::size_t>(order.data() + at, batch), images);
                network.run(images, batch, features, result.counters, rule.get(), first, last);
                store();
                done += batch;
                stage_done += batch;
                progress.update(stage_done);
                if (curve.due(stage_done)) record();
            }
        }
        progress.finish(stage_done);
        result.stage_seconds.push_back(seconds_since(stage_start));
        result.images = static_cast<std::uint64_t>(n) * net.epochs;
        result.presentations = done;
        result.seconds = seconds_before + seconds_since(start);
        if (sink) sink(DeepTrainingState{stage + 1, result, network.weights(), std::nullopt});
    }
    result.images = static_cast<std::uint64_t>(n) * net.epochs;
    result.presentations = done;
    result.seconds = seconds_before + seconds_since(start);
    return result;
}

DeepFeatures deep_features(const DeepRateNetwork& network, const Dataset& data, const char* phase, bool show_progress) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    const std::size_t width = network.feature_count();
    DeepFeatures out;
    out.features = RateVectors(n, width);
    struct Worker {
        DeepRateNetwork network;
        std::vector<RateCounters> counters;
        std::vector<float> images;
        std::vector<float> features;
    };
    Progress progress(phase, n, show_progress);
    const auto workers = for_each_image_block(
        n, 32, progress,
        [&] {
            return Worker{network, {}, {}, {}};
        },
        [&](Worker& w, std::span<const std::size_t> indices, std::size_t first) {
            data.gather(indices, w.images);
            w.network.run(w.images, indices.size(), w.features, w.counters);
            std::copy(w.features.begin(), w.features.end(),
                      out.features.counts.begin() + static_cast<std::ptrdiff_t>(first * width));
        });
    out.counters.resize(network.depth());
    for (const Worker& w : workers) {
        for (std::size_t i = 0; i < w.counters.size(); ++i) out.counters[i] += w.counters[i];
    }
    out.seconds = seconds_since(start);
    return out;
}

}  // namespace softspike
