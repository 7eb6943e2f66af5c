#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <filesystem>

#include "readout/label_assignment.hpp"
#include "io/config_file.hpp"
#include "run/config.hpp"
#include "io/dataset_loader.hpp"
#include "run/evaluation.hpp"
#include "run/network_setup.hpp"
#include "run/training.hpp"

using namespace softspike;

namespace {
Config small_config() {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    c.population.neurons = 100;
    c.data.train_images = 3000;
    c.data.test_images = 1000;
    c.evaluation.output_rate_hz = 2000.0;
    return c;
}
}  // namespace

TEST_CASE("end to end: a few thousand Fashion-MNIST images train a network far above chance") {
    const Config c = small_config();
    REQUIRE_MESSAGE(std::filesystem::exists(c.data.dir),
                    "Fashion-MNIST is missing: install the Debian package dataset-fashion-mnist (scripts/setup.sh)");
    const Dataset train_data = load_fashion_mnist(c.data.dir, "train", c.data.train_images);
    const Dataset test_data = load_fashion_mnist(c.data.dir, "t10k", c.data.test_images);
    const TrainingResult trained = train(c, train_data, initial_training_state(c, train_data.pixels_per_image()), false);
    CHECK(trained.stats.images == 3000);
    CHECK(trained.stats.counters.plasticity_updates ==
          trained.stats.counters.output_spikes * train_data.pixels_per_image());
    const FrozenPass train_pass = run_frozen(c, trained.model, train_data, FrozenSet::training_set, 0, false);
    const FrozenPass test_pass = run_frozen(c, trained.model, test_data, FrozenSet::test_set, 2, false);
    CHECK(test_pass.stats.counters.plasticity_updates == 0);
    CHECK(test_pass.stats.counters.synaptic_events == test_pass.stats.counters.input_spikes * 100);
    CHECK(test_pass.rasters.size() == 2);
    CHECK(!test_pass.rasters[0].empty());
    const ReadoutResult result = fit_readouts(c, train_pass, train_data, test_pass, test_data);
    MESSAGE("label assignment " << result.label_assignment_accuracy << ", linear " << result.linear_readout_accuracy);
    CHECK(result.label_assignment_accuracy > 0.45);  // chance is 0.10
    CHECK(result.linear_readout_accuracy > 0.55);
}

TEST_CASE("frozen passes give identical rate vectors with 1 and 2 threads") {
    Config c = small_config();
    c.data.train_images = 400;
    const Dataset data = load_fashion_mnist(c.data.dir, "train", c.data.train_images);
    const NetworkModel model = initial_model(c, data.pixels_per_image());
    FrozenPass one;
    FrozenPass two;
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
        one = run_frozen(c, model, data, FrozenSet::training_set, 0, false);
    }
    {
        tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
        two = run_frozen(c, model, data, FrozenSet::training_set, 0, false);
    }
    CHECK(one.rates.counts == two.rates.counts);
    CHECK(one.stats.counters == two.stats.counters);
}

TEST_CASE("training is reproducible: the same seed gives bit-identical weights") {
    Config c = small_config();
    c.data.train_images = 300;
    const Dataset data = load_fashion_mnist(c.data.dir, "train", c.data.train_images);
    const auto a = train(c, data, initial_training_state(c, data.pixels_per_image()), false);
    const auto b = train(c, data, initial_training_state(c, data.pixels_per_image()), false);
    CHECK(a.model.weights.weights() == b.model.weights.weights());
    c.seed = 2;
    const auto d = train(c, data, initial_training_state(c, data.pixels_per_image()), false);
    CHECK(a.model.weights.weights() != d.model.weights.weights());
}
