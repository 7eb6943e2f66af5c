#include <doctest/doctest.h>

#include <filesystem>
#include <optional>

#include "io/config_file.hpp"
#include "run/config.hpp"
#include "io/dataset_loader.hpp"
#include "core/errors.hpp"
#include "io/training_checkpoint.hpp"
#include "run/network_setup.hpp"
#include "run/training.hpp"

using namespace softspike;

namespace {
Config resume_config() {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    c.population.neurons = 30;
    c.data.train_images = 300;
    c.training.epochs = 2;  // the break falls in the first epoch, the resumed run crosses into the second
    c.training.checkpoint_every = 100;
    c.plasticity.adaptive_power = 0.5;  // so that the rule has state of its own to carry over
    return c;
}

void check_same(const TrainingResult& a, const TrainingResult& b) {
    CHECK(a.model.weights.weights() == b.model.weights.weights());
    CHECK(a.model.biases == b.model.biases);
    CHECK(a.stats.counters == b.stats.counters);
    CHECK(a.stats.images == b.stats.images);
    CHECK(a.running_accuracy == b.running_accuracy);
    CHECK(a.running_accuracy_linear == b.running_accuracy_linear);
    CHECK(a.running_accuracy_linear.size() == a.running_accuracy.size());
}
}  // namespace

TEST_CASE("training resumed from any checkpoint ends bit-identical to an unbroken run, for every rule with state") {
    for (const char* rule : {"softhebb", "stdp"}) {
        CAPTURE(rule);
        Config c = resume_config();
        c.plasticity.rule = rule;
        if (c.plasticity.rule == "stdp") c.plasticity.adaptive_power = 0.0;
        const Dataset data = load_fashion_mnist(c.data.dir, "train", c.data.train_images);
        std::vector<TrainingState> checkpoints;
        const TrainingResult unbroken = train(c, data, initial_training_state(c, data.pixels_per_image()), false,
                                              [&](const TrainingState& s) { checkpoints.push_back(s); });
        // Every 100 images, none at 600 (the end is written once, not twice).
        REQUIRE(checkpoints.size() == 6);
        CHECK(checkpoints[0].images_done == 100);
        CHECK(checkpoints[4].images_done == 500);
        CHECK(checkpoints[5].images_done == 600);
        CHECK_FALSE(checkpoints[0].rule_state.empty());

        for (const std::size_t at : {0U, 2U, 4U}) {
            CAPTURE(at);
            // Through the file format, as a real resume goes.
            const ResumePoint point =
                decode_training_checkpoint(encode_training_checkpoint(c, checkpoints[at]), "memory");
            CHECK(config_to_json(point.config) == config_to_json(c));
            const TrainingResult resumed = train(point.config, data, point.state, false);
            check_same(unbroken, resumed);
            CHECK(resumed.resumed_from == checkpoints[at].images_done);
        }
        // A finished run resumed does no training at all and changes nothing.
        const TrainingResult finished = train(c, data, checkpoints[5], false);
        check_same(unbroken, finished);
    }
}

TEST_CASE("damaged training checkpoints are rejected with the reason") {
    Config c = resume_config();
    TrainingState s = initial_training_state(c, 784);
    s.images_done = 7;
    s.rule_state.assign(c.population.neurons, 0.5);
    s.online = {std::vector<double>(c.population.neurons * 10, 1.0), std::vector<std::int16_t>(c.population.neurons, 3),
                7};
    s.window_outcomes = {1, 0, 1};
    s.running_accuracy = {{5, 0.25}};
    const std::string bytes = encode_training_checkpoint(c, s);
    const ResumePoint back = decode_training_checkpoint(bytes, "t.ckpt");
    CHECK(back.state.images_done == 7);
    CHECK(back.state.model.weights.weights() == s.model.weights.weights());
    CHECK(back.state.online.assignment == s.online.assignment);
    CHECK(back.state.window_outcomes == s.window_outcomes);
    CHECK(back.state.running_accuracy == s.running_accuracy);

    for (const std::size_t cut : {bytes.size() - 1, bytes.size() - 100, std::size_t{200}, std::size_t{13}}) {
        CAPTURE(cut);
        CHECK_THROWS_WITH_AS(decode_training_checkpoint(bytes.substr(0, cut), "t.ckpt"), doctest::Contains("t.ckpt"),
                             CheckpointError);
    }
    CHECK_THROWS_WITH_AS(decode_training_checkpoint(bytes.substr(0, 200), "t.ckpt"), doctest::Contains("truncated"),
                         CheckpointError);
    std::string flipped = bytes;
    flipped[bytes.size() - 50] = static_cast<char>(flipped[bytes.size() - 50] ^ 1);
    CHECK_THROWS_WITH_AS(decode_training_checkpoint(flipped, "t.ckpt"), doctest::Contains("checksum mismatch"),
                         CheckpointError);
    std::string newer = bytes;
    newer[8] = 9;
    CHECK_THROWS_WITH_AS(decode_training_checkpoint(newer, "t.ckpt"), doctest::Contains("newer than this build"),
                         CheckpointError);
    // A weights file is not a training checkpoint.
    CHECK_THROWS_WITH_AS(decode_training_checkpoint("SSPKCKPT" + bytes.substr(8), "t.ckpt"),
                         doctest::Contains("expected magic SSPKTRST"), CheckpointError);
    // A state whose parts disagree with its own config (written by hand or by another build).
    Config other = c;
    other.population.neurons = 31;
    CHECK_THROWS_WITH_AS(decode_training_checkpoint(encode_training_checkpoint(other, s), "t.ckpt"),
                         doctest::Contains("model neurons: expected 31"), CheckpointError);
}
