#include "run/deep_spiking_training.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>

#include "chip/kernel_memory.hpp"
#include "core/errors.hpp"
#include "core/progress.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "plasticity/batch_step.hpp"
#include "run/deep_spiking.hpp"

namespace softspike {

std::string spiking_training_problem(const Config& config) {
    const NetworkConfig& net = config.network;
    if (net.training != DeepTraining::layer_by_layer) {
        return "network.training: the spiking form learns layer by layer, found all_at_once";
    }
    if (config.plasticity.rule != "softhebb") {
        return "plasticity.rule: the spiking form's deep learning is SoftHebb's, found \"" + config.plasticity.rule +
               "\"";
    }
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const ConvBlockParams& p = net.layers[i];
        const std::string key = "network.layers[" + std::to_string(i) + "].";
        if (p.learning.learning_top_k != 0)
            return key + "learning_top_k: the spiking form has no sparse plasticity, expected 0";
        if (p.prune_fraction != 0.0) return key + "prune_fraction: the spiking form has no pruning, expected 0";
    }
    return {};
}

namespace {

SpikingLearningParams learning_params(const ConvBlockParams& p, const NetworkConfig& net) {
    SpikingLearningParams out;
    out.temperature = p.learning.temperature;
    out.learning_rate = p.learning.learning_rate;
    out.adaptive_power = p.learning.adaptive_power;
    out.norm_target = p.learning.norm_target;
    out.anti_hebbian = p.learning.anti_hebbian;
    out.normalise_update = p.learning.normalise_update;
    out.spikes_per_position = p.learning_spikes;
    out.competition = net.competition;
    out.lif.window_s = net.lif_window_ms / 1000.0;
    out.lif.inhibition_tau_s = net.lif_inhibition_tau_ms / 1000.0;
    out.lif.loop_gain = net.lif_loop_gain;
    return out;
}

// One image of a batch: its workspace, its soft-WTA draws and its counts.
struct ImageSlot {
    DeepSpikingNetwork::Workspace work;
    SpikingConvLearner::ImageDraws draws;
    std::vector<SpikingBlockCounters> forward;
    SpikingPlasticityCounters plasticity;
};

}  // namespace

std::vector<SpikingBlockCounters> spiking_training_counters(const DeepSpikingTrainingResult& result) {
    std::vector<SpikingBlockCounters> out = result.forward;
    for (std::size_t b = 0; b < out.size() && b < result.plasticity.size(); ++b) {
        const SpikingPlasticityCounters& p = result.plasticity[b];
        out[b].events.output_spikes += p.learning_spikes;
        out[b].events.plasticity_updates += p.update_accumulates + p.weight_updates;
    }
    return out;
}

DeepTrainingResult as_training_record(const DeepSpikingTrainingResult& result) {
    DeepTrainingResult out;
    out.counters.resize(result.forward.size());
    out.images = result.images;
    out.presentations = result.presentations;
    out.seconds = result.seconds;
    out.stage_seconds = result.stage_seconds;
    out.curve = result.curve;
    out.resumed_stages = result.resumed_stages;
    return out;
}

DeepSpikingTrainingResult train_deep_spiking(const Config& config, const Dataset& data, DeepRateNetwork& network,
                                             bool show_progress, const DeepTrainingState* resume,
                                             const DeepCheckpointSink& sink) {
    if (const std::string problem = spiking_training_problem(config); !problem.empty()) throw ConfigError(problem);
    const auto start = std::chrono::steady_clock::now();
    const NetworkConfig& net = config.network;
    const std::size_t n = data.size();
    const std::size_t depth = network.depth();
    DeepSpikingTrainingResult result;
    result.forward.resize(depth);
    result.plasticity.resize(depth);
    std::size_t first_stage = 0;
    double seconds_before = 0.0;
    if (resume != nullptr) {
        if (!resume->spiking || resume->stages_done > depth || resume->spiking->forward.size() != depth ||
            resume->spiking->plasticity.size() != depth) {
            throw std::invalid_argument("train_deep_spiking: the resume state does not fit the network");
        }
        result = *resume->spiking;
        first_stage = resume->stages_done;
        result.resumed_stages = first_stage;
        seconds_before = result.seconds;
    }
    std::vector<std::size_t> order(n);
    std::vector<ImageSlot> slots(net.batch);
    for (std::size_t stage = first_stage; stage < depth; ++stage) {
        const auto stage_start = std::chrono::steady_clock::now();
        // The blocks below as spikes, their values calibrated on the kernels they learned.
        const DeepSpikingTwin below = deep_spiking_twin(config, network, data, stage);
        ConvBlock& block = network.block(stage);
        std::vector<double> mean;
        std::vector<double> variance;
        if (block.params().batch_norm) {
            const ChannelStatistics in =
                spiking_input_statistics(below.network, data, net.calibration_images, stage, config.seed);
            mean = in.mean;
            variance = in.variance;
            std::copy(mean.begin(), mean.end(), block.batch_norm().running_mean().begin());
            std::copy(variance.begin(), variance.end(), block.batch_norm().running_variance().begin());
        }
        const SpikingConvParams shape = below.network.block(stage).params();
        const std::size_t patch = shape.shape.patch_size();
        const std::size_t filters = shape.filters;
        SpikingConvLearner learner(shape, learning_params(block.params(), net), block.kernels().weights.weights(), mean,
                                   variance);
        // On a chip the kernels live in its memory from the start: programmed, then rounded after every step.
        KernelMemory memory(config.chip, patch, filters, config.seed, stage);
        Rng rounding = learning_rounding_stream(config.seed, stage);
        if (memory.active()) memory.store(learner.kernels(), rounding);
        const std::string phase = "train-deep-spiking layer " + std::to_string(stage + 1) + "/" + std::to_string(depth);
        Progress progress(phase, net.epochs * n, show_progress);
        const std::size_t stage_images = net.epochs * n;
        std::size_t stage_done = 0;
        CurveSchedule curve(stage_images);
        const auto record = [&] {
            result.curve.push_back(
                kernel_norm_point(stage, stage_done, column_norms(learner.kernels(), patch, filters)));
        };
        record();
        if (net.competition == Competition::lif) {
            // The first batch's threshold, from its own images' free energies (the later ones follow the batch
            // before); the same input spikes as the learning draws of those presentations.
            epoch_order(config, 0, order);
            const std::size_t first = std::min(net.batch, n);
            const SpikingConvBlock current = learner.block();
            std::vector<std::vector<double>> energies(first);
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, first, 1), [&](const tbb::blocked_range<std::size_t>& r) {
                for (std::size_t j = r.begin(); j != r.end(); ++j) {
                    ImageSlot& slot = slots[j];
                    Rng rng = Rng::stream(config.seed, StreamPurpose::deep_learning, (stage << 40U) + j);
                    const auto spikes = below.network.input_spikes(data.image(order[j]), rng, stage, slot.work, nullptr);
                    learner.free_energies(current, spikes, slot.draws, energies[j]);
                }
            });
            std::vector<double> all;
            for (const auto& e : energies) all.insert(all.end(), e.begin(), e.end());
            learner.calibrate(std::move(all));
        }
        for (std::size_t epoch = 0; epoch < net.epochs; ++epoch) {
            epoch_order(config, epoch, order);
            for (std::size_t at = 0; at < n; at += net.batch) {
                const std::size_t batch = std::min(net.batch, n - at);
                const SpikingConvBlock current = learner.block();
                tbb::parallel_for(
                    tbb::blocked_range<std::size_t>(0, batch, 1), [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t j = r.begin(); j != r.end(); ++j) {
                            ImageSlot& slot = slots[j];
                            slot.forward.resize(depth);
                            const std::uint64_t presentation = epoch * n + at + j;
                            Rng rng =
                                Rng::stream(config.seed, StreamPurpose::deep_learning, (stage << 40U) + presentation);
                            const auto spikes = below.network.input_spikes(data.image(order[at + j]), rng, stage,
                                                                           slot.work, &slot.forward);
                            learner.draw(current, spikes, rng, slot.draws, slot.forward[stage], slot.plasticity);
                        }
                    });
                for (std::size_t j = 0; j < batch; ++j) learner.accumulate(slots[j].draws, slots[j].plasticity);
                const std::uint64_t written = result.plasticity[stage].weight_updates;
                learner.apply(result.plasticity[stage]);
                if (memory.active() && result.plasticity[stage].weight_updates != written) {
                    memory.store(learner.kernels(), rounding);
                    // A dead cell is not written.
                    result.plasticity[stage].weight_updates -= memory.dead_cells();
                }
                stage_done += batch;
                progress.update(stage_done);
                if (curve.due(stage_done)) record();
            }
        }
        progress.finish(stage_done);
        for (ImageSlot& slot : slots) {
            for (std::size_t b = 0; b < slot.forward.size(); ++b) result.forward[b] += slot.forward[b];
            result.plasticity[stage] += slot.plasticity;
            slot.forward.assign(depth, SpikingBlockCounters{});
            slot.plasticity = SpikingPlasticityCounters{};
        }
        std::copy(learner.kernels().begin(), learner.kernels().end(), block.kernels().weights.weights().begin());
        result.presentations += stage_done;
        result.stage_seconds.push_back(seconds_since(stage_start));
        result.quanta = below.quanta;
        result.images = static_cast<std::uint64_t>(n) * net.epochs;
        result.seconds = seconds_before + seconds_since(start);
        if (sink) sink(DeepTrainingState{stage + 1, as_training_record(result), network.weights(), result});
    }
    result.images = static_cast<std::uint64_t>(n) * net.epochs;
    result.seconds = seconds_before + seconds_since(start);
    return result;
}

}  // namespace softspike
