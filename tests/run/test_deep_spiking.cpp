#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <vector>

#include "core/numerical_error.hpp"
#include "run/config.hpp"
#include "run/deep_spiking.hpp"
#include "run/deep_spiking_training.hpp"
#include "run/deep_training.hpp"

using namespace softspike;
using nlohmann::json;

namespace {

// 12 x 12 images of a few bright bars (labels 0..3).
Dataset bars(std::size_t n) {
    Dataset d;
    d.rows = 12;
    d.cols = 12;
    d.classes = 4;
    d.pixels.assign(n * 144, 0.0F);
    for (std::size_t s = 0; s < n; ++s) {
        const std::size_t label = s % 4;
        d.labels.push_back(static_cast<std::uint8_t>(label));
        for (std::size_t i = 0; i < 12; ++i) {
            const std::size_t p = label < 2 ? (2 + 4 * label + s % 3) * 12 + i : i * 12 + 2 + 4 * (label - 2) + s % 3;
            d.pixels[s * 144 + p] = 0.4F + 0.05F * static_cast<float>((s * 7 + i) % 12);
        }
    }
    return d;
}

Config two_blocks(double spikes_per_unit, const char* features = "spikes") {
    const json layers = {{{"filters", 6},
                          {"kernel", 3},
                          {"padding", 1},
                          {"padding_mode", "reflect"},
                          {"learning_rate", 0.05},
                          {"anti_hebbian", true},
                          {"normalise_update", true},
                          {"adaptive_power", 0.5},
                          {"triangle_power", 0.7},
                          {"spikes_per_unit", spikes_per_unit},
                          {"pool", {{"kind", "max"}, {"size", 2}, {"stride", 2}}}},
                         {{"filters", 8},
                          {"kernel", 3},
                          {"padding", 1},
                          {"learning_rate", 0.01},
                          {"triangle_power", 1.4},
                          {"spikes_per_unit", spikes_per_unit},
                          {"pool", {{"kind", "average"}, {"size", 3}, {"stride", 3}}}}};
    return parse_config(json{{"network",
                              {{"layers", layers},
                               {"batch", 4},
                               {"form", "spiking"},
                               {"input_spikes_per_pixel", spikes_per_unit},
                               {"calibration_images", 40},
                               {"spiking_features", features}}}},
                        "test.json");
}

double relative_distance(const std::vector<float>& a, const std::vector<float>& b) {
    double diff = 0.0;
    double norm = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff += (a[i] - b[i]) * (a[i] - b[i]);
        norm += static_cast<double>(b[i]) * b[i];
    }
    return std::sqrt(diff / norm);
}

}  // namespace

TEST_CASE(
    "the spiking twin of a trained deep network: its features tend to the rate form's as the budget grows, "
    "it fires the budget it was given, and no number depends on the thread count") {
    const Dataset data = bars(40);
    const Config base = two_blocks(1.0);
    DeepRateNetwork rate = initial_deep_network(base, data);
    (void)train_deep(base, data, rate, false);  // BatchNorm statistics and kernels away from their start
    const std::vector<float> rate_features = deep_features(rate, data, "test", false).features.counts;

    std::vector<double> distance;
    for (const double budget : {0.5, 4.0, 64.0}) {
        CAPTURE(budget);
        const Config c = two_blocks(budget);
        const DeepSpikingTwin twin = deep_spiking_twin(c, rate, data);
        REQUIRE(twin.quanta.size() == 3);
        const DeepSpikingFeatures spiking =
            deep_spiking_features(twin.network, data, c.seed, FrozenSet::training_set, "test", false);
        distance.push_back(relative_distance(spiking.features.counts, rate_features));
        // The calibration images are the data: each map fires its budget on average, to within rounding.
        const double pixels = 40.0 * 144;
        CHECK(static_cast<double>(spiking.counters[0].events.input_spikes) ==
              doctest::Approx(budget * pixels).epsilon(0.02).scale(40));
        const double units0 = 40.0 * 6 * 6 * 6;
        const double units1 = 40.0 * 8 * 2 * 2;
        CHECK(static_cast<double>(spiking.counters[0].events.output_spikes) ==
              doctest::Approx(budget * units0).epsilon(0.02).scale(40));
        CHECK(static_cast<double>(spiking.counters[1].events.output_spikes) ==
              doctest::Approx(budget * units1).epsilon(0.02).scale(40));
        // What block 1 fires, block 2 receives.
        CHECK(spiking.counters[1].events.input_spikes == spiking.counters[0].events.output_spikes);
    }
    CHECK(distance[1] < distance[0]);
    CHECK(distance[2] < distance[1]);
    CHECK(distance[2] < 0.1);
    // Read from the last block's activation instead of its spikes, the features lose the last block's
    // quantisation: closer to the rate form at the same budget, and the last block fires nothing.
    {
        const Config c = two_blocks(0.5, "activation");
        const DeepSpikingTwin twin = deep_spiking_twin(c, rate, data);
        const DeepSpikingFeatures f =
            deep_spiking_features(twin.network, data, c.seed, FrozenSet::training_set, "t", false);
        CHECK(f.counters[1].events.output_spikes == 0);
        CHECK(f.counters[1].events.input_spikes > 0);
        CHECK(relative_distance(f.features.counts, rate_features) < distance[0]);
    }

    // The exact pass by delivery is the rate form's network, to float rounding.
    const DeepSpikingTwin twin = deep_spiking_twin(base, rate, data);
    DeepSpikingNetwork::Workspace work;
    std::vector<float> exact(twin.network.feature_count());
    std::vector<double> sums;
    for (std::size_t i = 0; i < data.size(); ++i) {
        twin.network.present_exact(data.image(i), exact, sums, work);
        for (std::size_t k = 0; k < exact.size(); ++k) {
            CHECK(exact[k] == doctest::Approx(rate_features[i * exact.size() + k]).epsilon(1e-4).scale(1.0));
        }
    }

    // BatchNorm statistics of block 2 measured on the spikes it receives: other features, the same budget.
    Config measured = base;
    measured.network.spiking_batch_norm = true;
    {
        const DeepSpikingTwin a = deep_spiking_twin(base, rate, data);
        const DeepSpikingTwin b = deep_spiking_twin(measured, rate, data);
        CHECK(a.quanta[0] == b.quanta[0]);
        CHECK(a.quanta[1] == b.quanta[1]);  // block 1 reads the image: nothing to measure
        CHECK(a.quanta[2] != b.quanta[2]);
        const DeepSpikingFeatures fb = deep_spiking_features(b.network, data, 1, FrozenSet::training_set, "t", false);
        CHECK(static_cast<double>(fb.counters[1].events.output_spikes) ==
              doctest::Approx(40.0 * 8 * 2 * 2).epsilon(0.02).scale(40));
    }
    auto run = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        const DeepSpikingTwin t = deep_spiking_twin(measured, rate, data);
        const DeepSpikingFeatures f =
            deep_spiking_features(t.network, data, base.seed, FrozenSet::test_set, "t", false);
        return std::make_pair(f.features.counts, f.counters[1].events.synaptic_events);
    };
    CHECK(run(1) == run(2));
}

TEST_CASE(
    "the spiking form learns layer by layer: exact counts per stage, BatchNorm statistics measured on the "
    "spikes each block receives, kernels moved by learning, and the same kernels on any thread count") {
    const Dataset data = bars(40);
    Config c = two_blocks(2.0);
    c.network.layers[0].learning_spikes = 3;
    c.network.layers[1].learning_spikes = 2;
    auto run = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        DeepRateNetwork network = initial_deep_network(c, data);
        DeepSpikingTrainingResult r = train_deep_spiking(c, data, network, false);
        return std::make_pair(network.weights(), r);
    };
    const DeepRateNetwork initial = initial_deep_network(c, data);
    const auto [weights, result] = run(2);
    // Block 1: 12 x 12 positions (padding 1), 3 spikes each, 40 images; block 2: 6 x 6 positions, 2 spikes each.
    REQUIRE(result.plasticity.size() == 2);
    CHECK(result.plasticity[0].learning_spikes == 40 * 144 * 3);
    CHECK(result.plasticity[1].learning_spikes == 40 * 36 * 2);
    // Every spike adds its patch: 1 x 3 x 3 for block 1, 6 x 3 x 3 for block 2.
    CHECK(result.plasticity[0].update_accumulates == 40 * 144 * 3 * 9);
    CHECK(result.plasticity[1].update_accumulates == 40 * 36 * 2 * 54);
    // 10 batches of 4 per stage, each writing every kernel weight once.
    CHECK(result.plasticity[0].batches == 10);
    CHECK(result.plasticity[0].weight_updates == 10 * 9 * 6);
    CHECK(result.plasticity[1].weight_updates == 10 * 54 * 8);
    // Block 1 integrates the image in both stages (as the rate form re-runs the blocks below); block 2 only in
    // its own, from what block 1 fired.
    CHECK(result.forward[0].events.input_spikes > 0);
    CHECK(result.forward[1].events.input_spikes == result.forward[0].events.output_spikes);
    CHECK(result.presentations == 80);
    CHECK(result.curve.front().images == 0);
    CHECK(result.curve.back().images == 40);
    // Learning moved every block's kernels; block 2's statistics are those of what block 1's spikes carry, not
    // BatchNorm's initial (0, 1).
    for (std::size_t b = 0; b < 2; ++b) {
        CAPTURE(b);
        CHECK(weights.blocks[b].kernels.weights.weights() != initial.block(b).kernels().weights.weights());
    }
    CHECK(weights.blocks[1].running_mean[0] > 0.0);
    CHECK(weights.blocks[1].running_variance[0] != 1.0);
    const auto [weights1, result1] = run(1);
    for (std::size_t b = 0; b < 2; ++b) {
        CHECK(weights1.blocks[b].kernels.weights.weights() == weights.blocks[b].kernels.weights.weights());
        CHECK(weights1.blocks[b].running_mean == weights.blocks[b].running_mean);
        CHECK(result1.plasticity[b] == result.plasticity[b]);
        CHECK(result1.forward[b].events == result.forward[b].events);
    }
    // What it cannot do is refused naming the key.
    Config all = c;
    all.network.training = DeepTraining::all_at_once;
    CHECK(spiking_training_problem(all).rfind("network.training:", 0) == 0);
    Config sparse = c;
    sparse.network.layers[1].learning.learning_top_k = 2;
    CHECK(spiking_training_problem(sparse).rfind("network.layers[1].learning_top_k:", 0) == 0);
    CHECK(spiking_training_problem(c).empty());
}

TEST_CASE("a deep rate block whose learning diverges names its own layer's keys, not the single-layer network's") {
    const Dataset data = bars(40);
    Config c = two_blocks(1.0);
    c.network.form = DeepForm::rate;
    c.network.layers[1].learning.normalise_update = false;
    c.network.layers[1].learning.adaptive_power = 0.0;
    c.network.layers[1].learning.learning_rate = 1e30;
    DeepRateNetwork network = initial_deep_network(c, data);
    CHECK_THROWS_WITH_AS((void)train_deep(c, data, network, false),
                         "network.layers[1]: a drive became non-finite while the block learned (learning_rate "
                         "1000000000000000019884624838656.000000): lower network.layers[1].learning_rate, or set "
                         "network.layers[1].normalise_update true",
                         NumericalError);
}

TEST_CASE("the spike-count raster of a block holds the spikes the evaluation drew at those positions") {
    const Dataset data = bars(40);
    const Config c = two_blocks(2.0);
    DeepRateNetwork rate = initial_deep_network(c, data);
    (void)train_deep(c, data, rate, false);
    const DeepSpikingTwin twin = deep_spiking_twin(c, rate, data);
    Dataset one = data;
    one.pixels.resize(144);
    one.labels.resize(1);
    const DeepSpikingFeatures pass = deep_spiking_features(twin.network, one, c.seed, FrozenSet::test_set, "t", false);
    // Block 1's pooled map is 6 x 6: asking for all 6 columns of the middle row, then for 2 of them.
    const std::vector<SpikeCountRaster> rasters = spike_count_rasters(twin.network, rate, one.image(0), c.seed, 0, 6);
    REQUIRE(rasters.size() == 1);  // block 2 feeds the read-out, not a block
    const SpikeCountRaster& r = rasters[0];
    CHECK(r.channels == 6);
    CHECK(r.row == 3);
    CHECK(r.columns == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
    // The same draw as the evaluation's: block 1 fired as many spikes as its counters say, and block 2 received
    // them.
    CHECK(r.block_spikes == pass.counters[0].events.output_spikes);
    CHECK(r.block_spikes == pass.counters[1].events.input_spikes);
    std::uint64_t in_row = 0;
    for (const std::uint32_t n : r.counts) in_row += n;
    CHECK(in_row > 0);
    CHECK(in_row < r.block_spikes);
    // The same draw from the network directly: the counts of row 3 per (column, channel).
    DeepSpikingNetwork::Workspace work;
    Rng rng = Rng::stream(c.seed, StreamPurpose::deep_spikes, 1ULL << 40U);
    std::vector<std::uint32_t> expected(36, 0);
    for (const std::uint32_t unit : twin.network.input_spikes(one.image(0), rng, 1, work, nullptr)) {
        if (unit % 36 / 6 == 3) ++expected[(unit % 6) * 6 + unit / 36];
    }
    CHECK(r.counts == expected);
    const SpikeCountRaster two = spike_count_rasters(twin.network, rate, one.image(0), c.seed, 0, 2)[0];
    CHECK(two.columns == std::vector<std::size_t>{2, 3});
    CHECK(std::vector<std::uint32_t>(two.counts.begin(), two.counts.end()) ==
          std::vector<std::uint32_t>(expected.begin() + 12, expected.begin() + 24));
}

TEST_CASE(
    "feature draws: the first draw of every image is the one-draw pass, the others are new, and the l2 is chosen "
    "on first draws only") {
    const Dataset data = bars(40);
    Config c = two_blocks(1.0);
    DeepRateNetwork rate = initial_deep_network(c, data);
    (void)train_deep(c, data, rate, false);
    const DeepSpikingTwin twin = deep_spiking_twin(c, rate, data);
    const DeepSpikingFeatures one =
        deep_spiking_features(twin.network, data, c.seed, FrozenSet::training_set, "t", false);
    const DeepSpikingFeatures three =
        deep_spiking_features(twin.network, data, c.seed, FrozenSet::training_set, "t", false, 3);
    REQUIRE(three.features.samples == 120);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < 40; ++i) {
        const auto a = one.features.row(i);
        const auto first = three.features.row(3 * i);
        CHECK(std::equal(a.begin(), a.end(), first.begin()));
        const auto second = three.features.row(3 * i + 1);
        differing += std::equal(a.begin(), a.end(), second.begin()) ? 0 : 1;
    }
    CHECK(differing > 30);
    // Counts are summed over the draws: three draws, about three times the events (the same budget each).
    CHECK(static_cast<double>(three.counters[0].events.synaptic_events) ==
          doctest::Approx(3.0 * static_cast<double>(one.counters[0].events.synaptic_events)).epsilon(0.05));

    c.readout.l2_candidates = {0.01, 1.0};
    c.readout.validation_fraction = 0.25;
    const ReadoutResult fitted = fit_readouts_on_draws(c, three.features, 3, data, one.features, data);
    REQUIRE(fitted.l2_selection.has_value());
    CHECK(fitted.l2_selection->validation_samples == 10);  // a quarter of the 40 images, not of the 120 rows
    const ReadoutResult single = fit_readouts_on_draws(c, one.features, 1, data, one.features, data);
    CHECK(single.linear_readout_accuracy ==
          fit_readouts(c, one.features, data, one.features, data).linear_readout_accuracy);
}
