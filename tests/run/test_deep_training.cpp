#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <string>
#include <vector>

#include "core/errors.hpp"
#include "run/config.hpp"
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
