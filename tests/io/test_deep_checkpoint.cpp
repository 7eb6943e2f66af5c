#include <doctest/doctest.h>

#include <string>

#include "core/errors.hpp"
#include "io/checkpoint.hpp"
#include "io/deep_checkpoint.hpp"
#include "io/deep_training_checkpoint.hpp"

using namespace softspike;
using nlohmann::json;

namespace {

// Two blocks by hand: 9 x 4 kernels on 1 channel, then 36 x 3 on 4 channels.
DeepWeights two_blocks() {
    DeepWeights w;
    w.blocks.push_back({make_initial_model(9, 4, 0, 2.0, 5), {0.5}, {2.25}});
    w.blocks.push_back({make_initial_model(36, 3, 0, 1.0, 6), {0.0, 1.0, -2.0, 1e-300}, {1.0, 0.5, 4.0, 3.0}});
    return w;
}

Config stored_config() {
    const json layers = {{{"filters", 4}, {"kernel", 3}, {"padding", 1}},
                         {{"filters", 3}, {"kernel", 3}, {"padding", 1}}};
    return parse_config(json{{"network", {{"layers", layers}}}}, "test.json");
}

DeepTrainingState state_after_first_stage() {
    DeepTrainingState s;
    s.stages_done = 1;
    s.weights = two_blocks();
    s.result.images = 100;
    s.result.presentations = 100;
    s.result.seconds = 1.5;
    s.result.stage_seconds = {1.5};
    s.result.counters = {{.samples = 1, .macs = 2, .effective_macs = 3, .plasticity_macs = 4, .plasticity_updates = 5,
                          .bias_updates = 6, .outputs = 7, .zero_outputs = 8},
                         {.macs = 9}};
    s.result.curve = {{0, 0, 25.0, 0.5, 24.0, 26.0}, {0, 100, 3.0, 0.25, 2.0, 4.0}};
    return s;
}

}  // namespace

TEST_CASE("deep weights round-trip bit-exactly, and every damaged file is rejected with the reason") {
    const DeepWeights w = two_blocks();
    const std::string bytes = encode_deep_checkpoint(w);
    const DeepWeights back = decode_deep_checkpoint(bytes, "deep.ckpt");
    REQUIRE(back.blocks.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(back.blocks[i].kernels.weights.weights() == w.blocks[i].kernels.weights.weights());
        CHECK(back.blocks[i].kernels.weights.sources() == w.blocks[i].kernels.weights.sources());
        CHECK(back.blocks[i].running_mean == w.blocks[i].running_mean);
        CHECK(back.blocks[i].running_variance == w.blocks[i].running_variance);
    }
    // Cut anywhere, the file is refused naming itself; never read past its end or accepted.
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        CAPTURE(cut);
        CHECK_THROWS_WITH_AS(decode_deep_checkpoint(bytes.substr(0, cut), "deep.ckpt"), doctest::Contains("deep.ckpt: "),
                             CheckpointError);
    }
    std::string flipped = bytes;
    flipped[60] = static_cast<char>(flipped[60] ^ 0x01);
    CHECK_THROWS_WITH_AS(decode_deep_checkpoint(flipped, "deep.ckpt"), doctest::Contains("checksum mismatch"),
                         CheckpointError);
    // A single-layer weights file is another kind of file.
    CHECK_THROWS_WITH_AS(decode_deep_checkpoint(encode_checkpoint(make_initial_model(4, 2, 0, 1.0, 1)), "w.ckpt"),
                         doctest::Contains("w.ckpt: not a softspike file of this kind: expected magic SSPKDEEP at "
                                           "offset 0, found 'SSPKCKPT'"),
                         CheckpointError);
    // A corrupt block count is refused before anything is allocated for it.
    std::string blocks = bytes;
    blocks[12 + 7] = 0x7F;
    CHECK_THROWS_WITH_AS(decode_deep_checkpoint(blocks, "deep.ckpt"),
                         doctest::Contains("implausible block count"), CheckpointError);
}

TEST_CASE("a deep training checkpoint round-trips its state and refuses parts that contradict its stored config") {
    const Config config = stored_config();
    const DeepTrainingState s = state_after_first_stage();
    const DeepResumePoint point = decode_deep_training_checkpoint(encode_deep_training_checkpoint(config, s), "st");
    CHECK(config_to_json(point.config) == config_to_json(config));
    const DeepTrainingState& b = point.state;
    CHECK(b.stages_done == 1);
    CHECK(b.result.images == 100);
    CHECK(b.result.presentations == 100);
    CHECK(b.result.seconds == 1.5);
    CHECK(b.result.stage_seconds == s.result.stage_seconds);
    REQUIRE(b.result.counters.size() == 2);
    CHECK(b.result.counters[0].zero_outputs == 8);
    CHECK(b.result.counters[0].bias_updates == 6);
    CHECK(b.result.counters[1].macs == 9);
    REQUIRE(b.result.curve.size() == 2);
    CHECK(b.result.curve[1].images == 100);
    CHECK(b.result.curve[1].sd == 0.25);
    CHECK(b.weights.blocks[1].running_variance == s.weights.blocks[1].running_variance);

    DeepTrainingState too_far = s;
    too_far.stages_done = 3;
    too_far.result.stage_seconds = {1.0, 1.0, 1.0};
    CHECK_THROWS_WITH_AS(decode_deep_training_checkpoint(encode_deep_training_checkpoint(config, too_far), "st"),
                         doctest::Contains("st: stages done (at most): expected 2"), CheckpointError);
    DeepTrainingState one_block = s;
    one_block.weights.blocks.pop_back();
    CHECK_THROWS_WITH_AS(decode_deep_training_checkpoint(encode_deep_training_checkpoint(config, one_block), "st"),
                         doctest::Contains("blocks of weights: expected 2"), CheckpointError);
    const std::string bytes = encode_deep_training_checkpoint(config, s);
    CHECK_THROWS_WITH_AS(decode_deep_training_checkpoint(bytes.substr(0, bytes.size() - 20), "st"),
                         doctest::Contains("st: "), CheckpointError);
    CHECK_THROWS_WITH_AS(decode_deep_training_checkpoint(encode_deep_checkpoint(s.weights), "st"),
                         doctest::Contains("expected magic SSPKDTST"), CheckpointError);
}
