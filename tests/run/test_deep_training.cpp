#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "run/config.hpp"
#include "run/deep_hardware.hpp"
#include "run/deep_training.hpp"

using namespace softspike;
using nlohmann::json;

namespace {

// A 10 x 10 data set of `n` images with a few bright bars, labels 0..3.
Dataset bars(std::size_t n) {
    Dataset d;
    d.rows = 10;
    d.cols = 10;
    d.classes = 4;
    d.pixels.assign(n * 100, 0.0F);
    for (std::size_t s = 0; s < n; ++s) {
        const std::size_t label = s % 4;
        d.labels.push_back(static_cast<std::uint8_t>(label));
        for (std::size_t i = 0; i < 10; ++i) {
            const std::size_t p = label < 2 ? (2 + 3 * label + s % 2) * 10 + i : i * 10 + 2 + 3 * (label - 2) + s % 2;
            d.pixels[s * 100 + p] = 0.5F + 0.05F * static_cast<float>((s * 7 + i) % 10);
        }
    }
    return d;
}

json two_layers() {
    return json{{"layers",
                 {{{"filters", 6},
                   {"kernel", 3},
                   {"padding", 1},
                   {"temperature", 1.0},
                   {"learning_rate", 0.05},
                   {"anti_hebbian", true},
                   {"normalise_update", true},
                   {"adaptive_power", 0.5},
                   {"pool", {{"kind", "max"}, {"size", 2}, {"stride", 2}}}},
                  {{"filters", 8},
                   {"kernel", 3},
                   {"padding", 1},
                   {"temperature", 1.0},
                   {"learning_rate", 0.01},
                   {"triangle_power", 1.4},
                   {"pool", {{"kind", "average"}, {"size", 5}, {"stride", 5}}}}}},
                {"batch", 4}};
}

Config deep_config(const json& network) { return parse_config(json{{"network", network}}, "test.json"); }

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("network.layers: read and written back, and a layer that cannot work names its index and key") {
    const Config c = deep_config(two_layers());
    REQUIRE(c.network.layers.size() == 2);
    CHECK(c.network.layers[0].pool.kind == PoolKind::max);
    CHECK(c.network.layers[1].triangle_power == 1.4);
    CHECK(c.network.layers[0].learning.anti_hebbian);
    CHECK(config_to_json(parse_config(config_to_json(c), "again")) == config_to_json(c));

    json bad = two_layers();
    bad["layers"][1]["filterz"] = 3;
    CHECK(error_of([&] { (void)deep_config(bad); }).find("unknown key 'network.layers[1].filterz'") !=
          std::string::npos);
    bad = two_layers();
    bad["layers"][0]["padding_mode"] = "wrap";
    CHECK(error_of([&] { (void)deep_config(bad); }).find("network.layers[0].padding_mode': expected one of") !=
          std::string::npos);

    const Dataset data = bars(4);
    bad = two_layers();
    bad["layers"][1]["kernel"] = 9;  // its input is 6 x 5 x 5, padded 7 x 7
    CHECK(error_of([&] {
              (void)initial_deep_network(deep_config(bad), data);
          }).find("network.layers[1].kernel: expected at most the padded input (7 x 7), found 9") == 0);
    bad = two_layers();
    bad["layers"][1]["pool"]["size"] = 6;  // pooling a 5 x 5 output with 6 x 6 leaves nothing
    CHECK(error_of([&] {
              (void)initial_deep_network(deep_config(bad), data);
          }).find("network.layers[1].pool.size: expected at most the padded input") == 0);
}

TEST_CASE("--set reaches into a list of layers by index, and an index past the end is an error") {
    json doc = {{"network", two_layers()}};
    apply_override(doc, "network.layers[1].temperature=0.5");
    CHECK(doc["network"]["layers"][1]["temperature"] == 0.5);
    CHECK(error_of([&] {
              apply_override(doc, "network.layers[2].temperature=0.5");
          }).find("'layers' has no item 2 (2 items in the config)") != std::string::npos);
    CHECK(error_of([&] { apply_override(doc, "network.layers[x].temperature=0.5"); }).find("expected a list index") !=
          std::string::npos);
}

TEST_CASE(
    "deep training: layer by layer changes every block, frozen passes do not, and no number depends on the "
    "thread count") {
    const Dataset data = bars(24);
    const Config c = deep_config(two_layers());
    auto run = [&](int threads) {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
        DeepRateNetwork network = initial_deep_network(c, data);
        const std::vector<float> before0 = network.block(0).kernels().weights.weights();
        const std::vector<float> before1 = network.block(1).kernels().weights.weights();
        const DeepTrainingResult trained = train_deep(c, data, network, false);
        CHECK(trained.images == 24);
        CHECK(trained.presentations == 48);  // two stages of 24
        CHECK(network.block(0).kernels().weights.weights() != before0);
        CHECK(network.block(1).kernels().weights.weights() != before1);
        // Block 1 learned only in its stage: forward MACs in both stages, plasticity in one.
        CHECK(trained.counters[1].plasticity_macs * 1 == trained.counters[1].macs);
        CHECK(trained.counters[0].macs == 2 * trained.counters[0].plasticity_macs);
        const std::vector<float> after0 = network.block(0).kernels().weights.weights();
        const DeepFeatures features = deep_features(network, data, "test", false);
        CHECK(network.block(0).kernels().weights.weights() == after0);
        CHECK(features.features.neurons == 8U);  // 8 channels x 1 x 1
        return features.features.counts;
    };
    const std::vector<float> one = run(1);
    CHECK(run(2) == one);
}

TEST_CASE("a deep network's hardware figures per block are its counters as docs/model.md §10 defines them") {
    const Dataset data = bars(4);
    Config c = deep_config(two_layers());
    c.network.layers[0].prune_fraction = 0.5;  // 9 inputs per kernel: round(4.5) = 5 of them pruned (half away from 0)
    const DeepRateNetwork network = initial_deep_network(c, data);
    const std::vector<RateCounters> counters{
        {.samples = 5, .macs = 100, .effective_macs = 80, .plasticity_macs = 50, .plasticity_updates = 10,
         .outputs = 20, .zero_outputs = 5},
        {.samples = 1, .macs = 7, .effective_macs = 7, .outputs = 4, .zero_outputs = 3}};
    ChipParams chip;
    chip.weight_bits = 8;
    const DeepHardware h = deep_hardware(network, counters, 2, chip);
    REQUIRE(h.blocks.size() == 2);
    const HardwareFigures& b0 = h.blocks[0];
    CHECK(b0.images == 2);
    CHECK(b0.counts.synaptic_events == 100);
    CHECK(b0.counts.effective_macs == 130);  // 80 forward + 50 Hebbian
    CHECK(b0.counts.plasticity_updates == 10);
    CHECK(b0.counts.membrane_updates == 5 * 6);  // one drive per position and channel
    CHECK(b0.counts.output_spikes == 0);
    CHECK(b0.weight_read_bytes == 110.0);  // one byte per weight read: 100 MACs + 10 updates
    CHECK(b0.weight_write_bytes == 10.0);
    CHECK(b0.dense_ops == 100);
    CHECK(b0.footprint_bytes == 9 * 6 + 2 * 4 * 1);  // 1 x 3 x 3 kernels of 6 filters at 1 byte, BN of 1 channel
    CHECK(b0.connection_sparsity == doctest::Approx(5.0 / 9.0));
    CHECK(b0.activation_sparsity == 0.25);
    CHECK(b0.neuron_steps == 0);
    CHECK(h.blocks[1].footprint_bytes == 6 * 9 * 8 + 2 * 4 * 6);
    CHECK(h.blocks[1].connection_sparsity == 0.0);
    CHECK(h.total.counts.synaptic_events == 107);
    CHECK(h.total.counts.effective_macs == 137);
    CHECK(h.total.weight_read_bytes == 117.0);
    CHECK(h.total.activation_sparsity == doctest::Approx(8.0 / 24.0));
    CHECK(h.total.connection_sparsity == doctest::Approx(30.0 / (54.0 + 432.0)));
    CHECK_THROWS_AS(deep_hardware(network, std::vector<RateCounters>(1), 2, chip), std::invalid_argument);
}

TEST_CASE("the unsupervised learning curve records each learning block's kernel norms through its stage") {
    const KernelNormPoint p = kernel_norm_point(2, 7, {3.0F, 4.0F});
    CHECK(p.block == 2);
    CHECK(p.images == 7);
    CHECK(p.mean == 3.5);
    CHECK(p.sd == 0.5);
    CHECK(p.min == 3.0);
    CHECK(p.max == 4.0);
    const Dataset data = bars(24);
    Config c = deep_config(two_layers());
    c.network.batch = 4;  // 6 batches per stage, fewer than kCurvePoints: a point after each
    DeepRateNetwork network = initial_deep_network(c, data);
    const KernelNormPoint start0 = kernel_norm_point(0, 0, network.block(0).kernel_norms());
    const KernelNormPoint start1 = kernel_norm_point(1, 0, network.block(1).kernel_norms());
    const DeepTrainingResult trained = train_deep(c, data, network, false);
    REQUIRE(trained.curve.size() == 2 * 7);
    CHECK(trained.curve[0].block == 0);
    CHECK(trained.curve[0].images == 0);
    CHECK(trained.curve[0].mean == start0.mean);
    CHECK(trained.curve[1].images == 4);
    CHECK(trained.curve[6].images == 24);
    CHECK(trained.curve[7].block == 1);
    CHECK(trained.curve[7].images == 0);
    CHECK(trained.curve[7].mean == start1.mean);  // block 1 had not learned during block 0's stage
    const KernelNormPoint end1 = kernel_norm_point(1, 24, network.block(1).kernel_norms());
    CHECK(trained.curve[13].mean == end1.mean);
    CHECK(trained.curve[13].mean < start1.mean);  // from radius 25 towards 1
}
