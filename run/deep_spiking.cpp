#include "run/deep_spiking.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "core/progress.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "run/image_blocks.hpp"

namespace softspike {

namespace {

// Calibration image k's spikes: a stream of its own, apart from the features' (2^41 + k).
Rng calibration_stream(std::uint64_t seed, std::size_t k) {
    return Rng::stream(seed, StreamPurpose::deep_spikes, (1ULL << 41U) + k);
}

}  // namespace

ChannelStatistics spiking_input_statistics(const DeepSpikingNetwork& network, const Dataset& train, std::size_t images,
                                           std::size_t block, std::uint64_t seed) {
    const std::size_t m = std::min(images, train.size());
    if (m == 0) throw std::invalid_argument("spiking_input_statistics: no training image");
    const Conv2dShape& shape = network.block(block).params().shape;
    const std::size_t channels = shape.channels;
    std::vector<std::vector<double>> sums(m), squares(m);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 8), [&](const tbb::blocked_range<std::size_t>& r) {
        DeepSpikingNetwork::Workspace work;
        for (std::size_t k = r.begin(); k != r.end(); ++k) {
            Rng rng = calibration_stream(seed, k);
            network.input_moments(train.image(k), rng, block, work, sums[k], squares[k]);
        }
    });
    const auto count = static_cast<double>(m) * static_cast<double>(shape.height * shape.width);
    ChannelStatistics out{std::vector<double>(channels, 0.0), std::vector<double>(channels, 0.0)};
    for (std::size_t k = 0; k < m; ++k) {  // in image order: the same sums on any thread count
        for (std::size_t c = 0; c < channels; ++c) {
            out.mean[c] += sums[k][c];
            out.variance[c] += squares[k][c];
        }
    }
    for (std::size_t c = 0; c < channels; ++c) {
        out.mean[c] /= count;
        out.variance[c] = std::max(0.0, out.variance[c] / count - out.mean[c] * out.mean[c]);
    }
    return out;
}

DeepSpikingTwin deep_spiking_twin(const Config& config, const DeepRateNetwork& rate, const Dataset& train,
                                  std::size_t calibrated_blocks) {
    const NetworkConfig& net = config.network;
    const std::size_t depth = rate.depth();
    const std::size_t m = std::min(net.calibration_images, train.size());
    if (m == 0) throw std::invalid_argument("deep_spiking_twin: no training image to calibrate on");
    const std::size_t pixels = train.pixels_per_image();
    double pixel_sum = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
        for (const float p : train.image(i)) pixel_sum += p;
    }
    const auto images_seen = static_cast<double>(m);
    std::vector<double> quanta(depth + 1, 1.0);
    quanta[0] = pixel_sum / images_seen / (static_cast<double>(pixels) * net.input_spikes_per_pixel);
    if (!(quanta[0] > 0.0)) quanta[0] = 1.0;  // blank calibration images: any positive value will do
    // Block i of the spiking form, with the rate form's BatchNorm statistics or others.
    const auto make_block = [&](std::size_t i, double input_quantum, std::span<const double> mean,
                                std::span<const double> variance) {
        const ConvBlock& block = rate.block(i);
        SpikingConvParams p;
        p.shape = block.convolution();
        p.filters = block.params().filters;
        p.triangle_power = block.params().triangle_power;
        p.pool = block.params().pool;
        p.input_quantum = input_quantum;
        p.output_quantum = 1.0;  // set by the calibration below
        const bool normalised = block.params().batch_norm;
        return SpikingConvBlock(p, block.kernels().weights.weights(), normalised ? mean : std::span<const double>(),
                                normalised ? variance : std::span<const double>());
    };
    std::vector<SpikingConvBlock> blocks;
    blocks.reserve(depth);
    for (std::size_t i = 0; i < depth; ++i) {
        const BatchNorm& norm = rate.block(i).batch_norm();
        blocks.push_back(make_block(i, quanta[i], norm.running_mean(), norm.running_variance()));
    }
    DeepSpikingNetwork network(std::move(blocks), net.spiking_features);
    // Block by block from the input: the value of a block's spikes is its mean summed activation, as the block
    // sees it with spikes from below (noise in the drive raises the triangle's mean above the rate form's), over
    // its budget. Images in a fixed order and streams of their own: the same values on any thread count.
    for (std::size_t i = 0; i < std::min(calibrated_blocks, depth); ++i) {
        if (net.spiking_batch_norm && i > 0 && rate.block(i).params().batch_norm) {
            const ChannelStatistics in = spiking_input_statistics(network, train, m, i, config.seed);
            network.replace_block(i, make_block(i, quanta[i], in.mean, in.variance));
        }
        std::vector<double> sums(m, 0.0);
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 8), [&](const tbb::blocked_range<std::size_t>& r) {
            DeepSpikingNetwork::Workspace work;
            for (std::size_t k = r.begin(); k != r.end(); ++k) {
                Rng rng = calibration_stream(config.seed, k);
                sums[k] = network.activation_at(train.image(k), rng, i, work);
            }
        });
        double total = 0.0;
        for (const double s : sums) total += s;
        const auto outputs = static_cast<double>(rate.block(i).output_shape().size());
        quanta[i + 1] = total / images_seen / (outputs * net.layers[i].spikes_per_unit);
        if (!(quanta[i + 1] > 0.0)) quanta[i + 1] = 1.0;  // a block silent on every calibration image
        network.set_quantum(i + 1, quanta[i + 1]);
    }
    return {std::move(network), std::move(quanta)};
}

std::vector<SpikeCountRaster> spike_count_rasters(const DeepSpikingNetwork& network, const DeepRateNetwork& shapes,
                                                  std::span<const float> image, std::uint64_t seed, std::uint64_t index,
                                                  std::size_t positions) {
    std::vector<SpikeCountRaster> rasters;
    DeepSpikingNetwork::Workspace work;
    for (std::size_t b = 0; b + 1 < network.depth(); ++b) {
        // The same stream as deep_spiking_features' for this test image: the maps up to block b draw the same
        // starts in the same order.
        Rng rng = Rng::stream(seed, StreamPurpose::deep_spikes, (1ULL << 40U) + index);
        const std::span<const std::uint32_t> spikes = network.input_spikes(image, rng, b + 1, work, nullptr);
        const TensorShape out = shapes.block(b).output_shape();
        SpikeCountRaster r;
        r.block = b;
        r.channels = out.channels;
        r.row = out.height / 2;
        const std::size_t shown = std::min(positions, out.width);
        const std::size_t first = (out.width - shown) / 2;
        for (std::size_t x = first; x < first + shown; ++x) r.columns.push_back(x);
        r.counts.assign(shown * out.channels, 0);
        r.block_spikes = spikes.size();
        const std::size_t plane = out.height * out.width;
        for (const std::uint32_t unit : spikes) {
            const std::size_t c = unit / plane;
            const std::size_t y = unit % plane / out.width;
            const std::size_t x = unit % out.width;
            if (y == r.row && x >= first && x < first + shown) ++r.counts[(x - first) * out.channels + c];
        }
        rasters.push_back(std::move(r));
    }
    return rasters;
}

DeepSpikingFeatures deep_spiking_features(const DeepSpikingNetwork& network, const Dataset& data, std::uint64_t seed,
                                          FrozenSet set, const char* phase, bool show_progress, std::size_t draws) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = data.size();
    const std::size_t width = network.feature_count();
    const std::uint64_t stream_base = set == FrozenSet::test_set ? (1ULL << 40U) : 0;
    DeepSpikingFeatures out;
    out.features = RateVectors(n * draws, width);
    struct Worker {
        DeepSpikingNetwork::Workspace work;
        std::vector<SpikingBlockCounters> counters;
    };
    Progress progress(phase, n, show_progress);
    const auto workers = for_each_image_block(
        n, 8, progress, [] { return Worker{}; },
        [&](Worker& w, std::span<const std::size_t> indices, std::size_t) {
            for (const std::size_t i : indices) {
                for (std::size_t d = 0; d < draws; ++d) {
                    Rng rng = Rng::stream(seed, StreamPurpose::deep_spikes, stream_base + (d << 42U) + i);
                    network.present(data.image(i), rng, out.features.row(i * draws + d), w.counters, w.work);
                }
            }
        });
    out.counters.resize(network.depth());
    for (const Worker& w : workers) {
        for (std::size_t i = 0; i < w.counters.size(); ++i) out.counters[i] += w.counters[i];
    }
    out.seconds = seconds_since(start);
    return out;
}

DeepHardware deep_spiking_hardware(const DeepRateNetwork& rate, const std::vector<SpikingBlockCounters>& counters,
                                   std::uint64_t images, const ChipParams& chip) {
    if (counters.size() != rate.depth())
        throw std::invalid_argument("deep_spiking_hardware: one counter set per block");
    DeepHardware out;
    out.total.images = images;
    std::uint64_t synapses = 0;
    std::uint64_t zero_weights = 0;
    SpikingBlockCounters all;
    for (std::size_t b = 0; b < rate.depth(); ++b) {
        const SpikingBlockCounters& c = counters[b];
        const ConvBlock& block = rate.block(b);
        const Conv2dShape& shape = block.convolution();
        HardwareFigures f = block_memory_figures(block, images, chip);
        f.counts = c.events;
        f.weight_read_bytes = static_cast<double>(c.events.synaptic_events) * chip.weight_bytes();
        f.dense_ops = images * shape.positions() * shape.patch_size() * block.params().filters;
        f.activation_sparsity = c.activation_sparsity();
        add_block(out, f, block, synapses, zero_weights);
        all += c;
    }
    out.total.activation_sparsity = all.activation_sparsity();
    return out;
}

namespace {

// For training features of `draws` rows per image: the config with readout.l2 chosen on the first draw of every
// image (and no candidates left), and the labels of every row (image-major).
Config l2_chosen_on_first_draws(const Config& config, const RateVectors& train, std::size_t draws,
                                const Dataset& train_data, std::optional<L2Selection>& selection, Dataset& labels) {
    const std::size_t n = train_data.size();
    Config fixed = config;
    if (!config.readout.l2_candidates.empty()) {
        RateVectors first(n, train.neurons);
        for (std::size_t i = 0; i < n; ++i) {
            const auto row = train.row(i * draws);
            std::copy(row.begin(), row.end(), first.row(i).begin());
        }
        selection = select_l2(first, train_data.labels, train_data.classes, config.readout, config.seed);
        fixed.readout.l2 = selection->chosen;
        fixed.readout.l2_candidates.clear();
    }
    labels.classes = train_data.classes;
    labels.labels.clear();
    labels.labels.reserve(n * draws);
    for (const std::uint8_t label : train_data.labels) labels.labels.insert(labels.labels.end(), draws, label);
    return fixed;
}

}  // namespace

ReadoutResult fit_readouts_on_draws(const Config& config, const RateVectors& train, std::size_t draws,
                                    const Dataset& train_data, const RateVectors& test, const Dataset& test_data) {
    if (draws == 1) return fit_readouts(config, train, train_data, test, test_data);
    std::optional<L2Selection> selection;
    Dataset labels;
    const Config fixed = l2_chosen_on_first_draws(config, train, draws, train_data, selection, labels);
    ReadoutResult result = fit_readouts(fixed, train, labels, test, test_data);
    result.l2_selection = selection;
    return result;
}

FittedReadout fit_linear_readout_on_draws(const Config& config, const RateVectors& train, std::size_t draws,
                                          const Dataset& train_data) {
    if (draws == 1) return fit_linear_readout(config, train, train_data);
    std::optional<L2Selection> selection;
    Dataset labels;
    const Config fixed = l2_chosen_on_first_draws(config, train, draws, train_data, selection, labels);
    FittedReadout fitted = fit_linear_readout(fixed, train, labels);
    fitted.selection = selection;
    return fitted;
}

}  // namespace softspike
