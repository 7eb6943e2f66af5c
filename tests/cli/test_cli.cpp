// The softspike program as users run it: bad input of every kind gets one clear message and a documented
// exit code and leaves no output behind; a run killed with SIGKILL resumes to the same bytes; the thread
// count changes no number in the report.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "colour_files.hpp"
#include "core/errors.hpp"
#include "io/checkpoint.hpp"
#include "io/training_checkpoint.hpp"
#include "process.hpp"

using namespace softspike;
using namespace softspike::testing;
namespace fs = std::filesystem;

namespace {

const std::string kData = "/usr/share/datasets/fashion-mnist";

fs::path scratch(const std::string& name) { return testing::scratch("softspike_test_cli", name); }

// A small, quick network: 20 neurons, a few thousand images.
std::vector<std::string> small_run(const std::string& command, const fs::path& out, std::size_t train_images) {
    return {kProgram,   command,
            "--config", kConfig,
            "--set",    "population.neurons=20",
            "--set",    "data.train_images=" + std::to_string(train_images),
            "--set",    "data.test_images=200",
            "--set",    "evaluation.output_rate_hz=2000",
            "--out",    out.string(),
            "--quiet"};
}

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
    return args;
}

// The report's numbers that must not depend on the thread count or on an interruption.
nlohmann::json numbers_of(const fs::path& report_path) {
    const nlohmann::json r = nlohmann::json::parse(slurp(report_path));
    nlohmann::json n;
    n["accuracy"] = r["accuracy"];
    n["confusion"] = r["confusion"];
    n["silent"] = r["silent_neurons_test"];
    n["running_accuracy"] = r["running_accuracy"];
    n["running_accuracy_linear"] = r["running_accuracy_linear"];
    for (const auto& [phase, stats] : r["phases"].items()) n["counts"][phase] = stats["counts"];
    return n;
}

struct BadInput {
    std::string what;
    std::vector<std::string> args;
    int exit_code;
    std::string message;
};

void check_rejected(const BadInput& bad, const fs::path& dir) {
    CAPTURE(bad.what);
    const Finished f = run(bad.args, dir / "log");
    CHECK(f.exit_code == bad.exit_code);
    CHECK_MESSAGE(f.err.find(bad.message) != std::string::npos, f.err);
    // One message, on one line after the program name, nothing on stdout.
    CHECK(f.err.rfind("softspike: ", 0) == 0);
    CHECK(f.out.empty());
    CHECK_FALSE(fs::exists(dir / "out"));
    CHECK_FALSE(fs::exists(dir / "out2"));
}

}  // namespace

TEST_CASE("every kind of bad config is one clear error with exit code 3 and leaves no output") {
    const fs::path dir = scratch("config");
    const std::string out = (dir / "out").string();
    const std::vector<std::string> base{kProgram, "train", "--config", kConfig, "--out", out, "--quiet"};
    // The weights file is not read before the config is checked, so any existing file serves.
    const std::vector<std::string> robust{kProgram, "robustness", "--config", kConfig,  "--weights",
                                          kConfig,  "--out",      out,        "--quiet"};
    std::ofstream(dir / "malformed.json") << "{\"seed\": 1,\n \"population\": {\"neurons\": 10,}}";
    std::ofstream(dir / "nan.json") << "{\"encoder\": {\"max_rate_hz\": NaN}}";
    std::ofstream(dir / "huge.json") << "{\"seed\": 1e400}";
    const std::vector<BadInput> cases{
        {"missing file",
         {kProgram, "train", "--config", (dir / "absent.json").string(), "--out", out},
         3,
         "absent.json: cannot open config file"},
        {"malformed JSON",
         {kProgram, "train", "--config", (dir / "malformed.json").string(), "--out", out},
         3,
         "malformed.json: malformed JSON at byte 43"},
        {"NaN is not JSON",
         {kProgram, "train", "--config", (dir / "nan.json").string(), "--out", out},
         3,
         "nan.json: malformed JSON"},
        {"infinite number",
         {kProgram, "train", "--config", (dir / "huge.json").string(), "--out", out},
         3,
         "huge.json: unreadable JSON value"},
        {"infinite override", with(base, {"--set", "encoder.max_rate_hz=1e999"}), 3, "encoder.max_rate_hz=1e999"},
        {"unknown key", with(base, {"--set", "population.nuerons=10"}), 3, "unknown key 'population.nuerons'"},
        {"wrong type", with(base, {"--set", "population.neurons=\"many\""}), 3,
         "key 'population.neurons': expected a whole number"},
        {"zero size", with(base, {"--set", "population.neurons=0"}), 3, "in [1, 1000000], found number 0"},
        {"negative size", with(base, {"--set", "data.train_images=-5"}), 3, "found number -5"},
        {"negative rate", with(base, {"--set", "encoder.max_rate_hz=-1"}), 3, "key 'encoder.max_rate_hz'"},
        {"contradictory settings", with(base, {"--set", "population.onset_ms=45"}), 3,
         "key 'population.onset_ms': expected less than encoder.presentation_ms"},
        {"size that would exhaust memory", with(base, {"--set", "population.neurons=1000000"}), 3, "needs about"},
        {"unknown attack", with(robust, {"--set", "robustness.attacks=[\"fgsm\",\"deepfool\"]"}), 3,
         "key 'robustness.attacks[1]': expected one of \"fgsm\" \"pgd\", found string \"deepfool\""},
        {"negative noise", with(robust, {"--set", "robustness.noise_sigmas=[0,-0.1]"}), 3,
         "key 'robustness.noise_sigmas[1]'"},
        {"negative epsilon", with(robust, {"--set", "robustness.epsilons=[-0.1]"}), 3, "key 'robustness.epsilons[0]'"},
    };
    for (const BadInput& bad : cases) check_rejected(bad, dir);
}

TEST_CASE("missing, truncated and corrupt data files are exit code 4 with the file and the offset") {
    const fs::path dir = scratch("data");
    const std::string out = (dir / "out").string();
    const fs::path data = dir / "fmnist";
    fs::create_directories(data);
    for (const char* f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"}) {
        fs::copy_file(fs::path(kData) / f, data / f);
    }
    // The test labels cut short inside the compressed stream.
    const std::string labels = slurp(fs::path(kData) / "t10k-labels-idx1-ubyte.gz");
    std::ofstream(data / "t10k-labels-idx1-ubyte.gz", std::ios::binary) << labels.substr(0, labels.size() / 2);
    const std::vector<std::string> base{kProgram, "train", "--config", kConfig, "--out", out, "--quiet"};
    check_rejected({"missing directory", with(base, {"--set", "data.dir=\"" + (dir / "nowhere").string() + "\""}), 4,
                    "nowhere/train-images-idx3-ubyte.gz: cannot open file"},
                   dir);
    check_rejected({"truncated gzip", with(base, {"--set", "data.dir=\"" + data.string() + "\""}), 4,
                    "t10k-labels-idx1-ubyte.gz: truncated gzip stream: the compressed data ends at byte"},
                   dir);
    // Labels swapped for images: wrong dimension count, at offset 3.
    fs::remove(data / "t10k-labels-idx1-ubyte.gz");
    fs::copy_file(fs::path(kData) / "t10k-images-idx3-ubyte.gz", data / "t10k-labels-idx1-ubyte.gz");
    check_rejected({"wrong file", with(base, {"--set", "data.dir=\"" + data.string() + "\""}), 4,
                    "wrong IDX dimension count at offset 3: expected 1, found 3"},
                   dir);
}

TEST_CASE("checkpoints of another shape, truncated or newer are exit code 5 - usage errors are exit code 2") {
    const fs::path dir = scratch("ckpt");
    const std::string out = (dir / "out").string();
    save_checkpoint(dir / "seven.ckpt", make_initial_model(784, 7, 1000, 1.0, 1));
    const std::string good = slurp(dir / "seven.ckpt");
    std::ofstream(dir / "short.ckpt", std::ios::binary) << good.substr(0, good.size() - 100);
    std::string newer = good;
    newer[8] = 2;
    std::ofstream(dir / "newer.ckpt", std::ios::binary) << newer;
    auto eval = [&](const std::string& file, int neurons) {
        return std::vector<std::string>{kProgram,    "eval",
                                        "--config",  kConfig,
                                        "--weights", (dir / file).string(),
                                        "--set",     "population.neurons=" + std::to_string(neurons),
                                        "--out",     out,
                                        "--quiet"};
    };
    const std::vector<BadInput> cases{
        {"another shape", eval("seven.ckpt", 20), 5,
         "seven.ckpt: the checkpoint has 7 neurons, the config's "
         "population.neurons is 20"},
        {"truncated", eval("short.ckpt", 7), 5, "short.ckpt: truncated model"},
        {"newer version", eval("newer.ckpt", 7), 5, "newer.ckpt: format version 2 at offset 8 is newer"},
        {"missing", eval("absent.ckpt", 7), 5, "absent.ckpt: cannot open checkpoint"},
        {"nothing to resume",
         {kProgram, "train", "--resume", (dir / "empty").string()},
         5,
         "training_state.ckpt: cannot open checkpoint"},
        {"resume with overrides",
         {kProgram, "train", "--resume", out, "--set", "seed=2"},
         2,
         "--resume takes the config stored in the checkpoint"},
        {"unknown option", {kProgram, "train", "--config", kConfig, "--epochs", "2"}, 2, "unknown option '--epochs'"},
        {"no command", {kProgram}, 2, "no command given"},
        {"robustness without weights",
         {kProgram, "robustness", "--config", kConfig, "--out", out},
         2,
         "'robustness' needs --weights FILE"},
        {"robustness with weights of another shape",
         {kProgram, "robustness", "--config", kConfig, "--weights", (dir / "seven.ckpt").string(), "--out", out},
         5,
         "seven.ckpt: the checkpoint has 7 neurons"},
    };
    for (const BadInput& bad : cases) check_rejected(bad, dir);
}

TEST_CASE("a training run killed with SIGKILL and resumed ends with the same bytes as an unbroken run") {
    const fs::path dir = scratch("kill");
    constexpr std::size_t images = 8000;
    const auto args = [&](const fs::path& out, const char* threads) {
        return with(small_run("train", out, images), {"--set", "training.checkpoint_every=500", "--threads", threads});
    };
    const Finished unbroken = run(args(dir / "unbroken", "1"), dir / "unbroken");
    REQUIRE(unbroken.exit_code == 0);

    const fs::path broken = dir / "broken";
    const Child child = start(args(broken, "1"), dir / "broken");
    const fs::path state = broken / "training_state.ckpt";
    // Kill it as soon as its first checkpoint is in place: well before the end of training.
    for (int i = 0; i < 600000 && !fs::exists(state); ++i) std::this_thread::sleep_for(std::chrono::microseconds(100));
    REQUIRE(fs::exists(state));
    REQUIRE(::kill(child.pid, SIGKILL) == 0);
    CHECK(wait_for(child).exit_code == -1);
    const std::uint64_t done_at_kill = load_training_checkpoint(state).state.images_done;
    CAPTURE(done_at_kill);
    REQUIRE(done_at_kill < images);  // it really was killed part-way
    CHECK_FALSE(fs::exists(broken / "weights.ckpt"));
    CHECK_FALSE(fs::exists(broken / "report.json"));

    // Resumed on two threads: neither the break nor the thread count may change a bit.
    const Finished resumed =
        run({kProgram, "train", "--resume", broken.string(), "--threads", "2", "--quiet"}, dir / "resumed");
    REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
    CHECK(slurp(broken / "weights.ckpt") == slurp(dir / "unbroken" / "weights.ckpt"));
    CHECK(numbers_of(broken / "report.json") == numbers_of(dir / "unbroken" / "report.json"));
    const nlohmann::json report = nlohmann::json::parse(slurp(broken / "report.json"));
    // It continued from the checkpoint rather than starting again (which would also give the same bytes).
    CHECK(report["resumed_from_image"].get<std::uint64_t>() == done_at_kill);
    CHECK(done_at_kill >= 500);
    for (const auto& entry : fs::directory_iterator(broken)) {
        CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
    }
}

TEST_CASE("the same config and seed give the same report numbers with 1 and 2 threads") {
    const fs::path dir = scratch("threads");
    const Finished one = run(with(small_run("train", dir / "one", 2000), {"--threads", "1"}), dir / "one");
    const Finished two = run(with(small_run("train", dir / "two", 2000), {"--threads", "2"}), dir / "two");
    REQUIRE(one.exit_code == 0);
    REQUIRE(two.exit_code == 0);
    CHECK(numbers_of(dir / "one" / "report.json") == numbers_of(dir / "two" / "report.json"));
    CHECK(slurp(dir / "one" / "weights.ckpt") == slurp(dir / "two" / "weights.ckpt"));
    // And a different seed does change them, so the comparison above can fail.
    const Finished other = run(with(small_run("train", dir / "other", 2000), {"--seed", "2"}), dir / "other");
    REQUIRE(other.exit_code == 0);
    CHECK(numbers_of(dir / "one" / "report.json") != numbers_of(dir / "other" / "report.json"));
}

TEST_CASE("softspike events reports counts, NeuroBench metrics and energy under every table - a bad table is exit 3") {
    const fs::path dir = scratch("events");
    const Finished f = run(with(small_run("events", dir / "out", 500), {"--learning"}), dir / "events");
    REQUIRE_MESSAGE(f.exit_code == 0, f.err);
    CHECK(f.out.find("NeuroBench: Effective_ACs") != std::string::npos);
    const nlohmann::json r = nlohmann::json::parse(slurp(dir / "out" / "report.json"));
    const nlohmann::json& s = r["spiking"];
    for (const char* key : {"Effective_ACs", "Effective_MACs", "Dense"}) {
        CHECK(s["neurobench"]["SynapticOperations"].contains(key));
    }
    for (const char* key : {"ActivationSparsity", "MembraneUpdates", "Footprint", "ConnectionSparsity"}) {
        CHECK(s["neurobench"].contains(key));
    }
    for (const char* table : {"horowitz45_fp32", "horowitz45_int8", "loihi", "truenorth"}) {
        CHECK(s["energy"].contains(table));
    }
    CHECK(s["counts"]["plasticity_update"].get<double>() > 0.0);
    CHECK(s["images"].get<int>() == 500);
    CHECK(r["rate_form_by_formula"]["energy"].contains("horowitz45_fp32"));
    CHECK_FALSE(r["rate_form_by_formula"]["energy"].contains("loihi"));

    fs::remove_all(dir / "out");
    std::ofstream(dir / "bad_table.json")
        << R"({"name": "mine", "source": "me", "costs_pj": {"flop": {"pj": 1, "source": "me"}}})";
    check_rejected({"bad cost table",
                    with(small_run("events", dir / "out2", 500), {"--cost-table", (dir / "bad_table.json").string()}),
                    3, "bad_table.json: key 'costs_pj.flop'"},
                   dir);
}

TEST_CASE("a deep network trains end to end from the command line, and a layer that does not fit is exit 3") {
    const fs::path dir = scratch("deep");
    const std::string deep = std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/deep_fmnist.json";
    const std::string out = (dir / "out").string();
    const Finished bad =
        run({kProgram, "train", "--config", deep, "--set", "network.layers[2].kernel=10", "--out", out, "--quiet"},
            dir / "log");
    CHECK(bad.exit_code == 3);
    CHECK_MESSAGE(bad.err.find("network.layers[2].kernel: expected at most the padded input (9 x 9), found 10") !=
                      std::string::npos,
                  bad.err);
    CHECK_FALSE(fs::exists(out));
    // Two small blocks on 600 images: the whole pipeline, not its accuracy.
    const std::string layers =
        R"([{"filters": 8, "kernel": 5, "padding": 2, "temperature": 1, "learning_rate": 0.08, "anti_hebbian": true,)"
        R"( "normalise_update": true, "adaptive_power": 0.5, "pool": {"kind": "max", "size": 4, "stride": 2, "padding": 1}},)"
        R"( {"filters": 16, "kernel": 3, "padding": 1, "temperature": 1, "learning_rate": 0.01,)"
        R"( "pool": {"kind": "average", "size": 7, "stride": 7}}])";
    // The user's choice of OpenBLAS kernels wins over softspike's own, and the report says which ran.
    ::setenv("SOFTSPIKE_BLAS_CORETYPE", "Haswell", 1);
    const Finished ok =
        run({kProgram, "train", "--config", deep, "--set", "network.layers=" + layers, "--set", "data.train_images=600",
             "--set", "data.test_images=200", "--set", "readout.l2_candidates=[]", "--out", out, "--quiet"},
            dir / "log");
    REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
    const nlohmann::json report = nlohmann::json::parse(slurp(fs::path(out) / "report.json"));
    CHECK(report["features"] == 16 * 2 * 2);
    CHECK(report["blocks"].size() == 2);
    CHECK(report["blocks"][0]["features_macs_per_image"] == 28.0 * 28 * 25 * 8);
    CHECK(report["phases"]["unsupervised"]["images"] == 600);
    CHECK(report["phases"]["unsupervised"]["presentations"] == 1200);  // two layers, one pass each
    CHECK(report["accuracy"]["linear_readout"].get<double>() > 0.5);   // ten classes: chance is 0.1
    CHECK(report["openblas_core"] == "Haswell");
    CHECK(report["hardware"]["unsupervised training"]["blocks"].size() == 2);
    const std::string html = slurp(fs::path(out) / "report.html");
    CHECK(html.find("id=\"confusion-linear\"") != std::string::npos);
    CHECK(html.find("id=\"kernels-1\"") != std::string::npos);
    // Block 2's kernels read block 1's 8 maps.
    CHECK(html.find("<figcaption>block 2: 16 of 16 kernels, 8 of 8 input channels</figcaption>") != std::string::npos);

    // The saved kernels evaluated again give the same read-out; resuming the finished run skips its
    // unsupervised phase (the checkpoint after the last block) and ends with the same figures. Still with the
    // same OpenBLAS kernels: another kernel family rounds differently (docs/model.md §12).
    const std::string weights = (fs::path(out) / "deep_weights.ckpt").string();
    const std::string out2 = (dir / "eval").string();
    const Finished eval = run({kProgram, "eval", "--config", deep, "--set", "network.layers=" + layers, "--set",
                               "data.train_images=600", "--set", "data.test_images=200", "--set",
                               "readout.l2_candidates=[]", "--weights", weights, "--out", out2, "--quiet"},
                              dir / "log");
    REQUIRE_MESSAGE(eval.exit_code == 0, eval.err);
    const nlohmann::json evaluated = nlohmann::json::parse(slurp(fs::path(out2) / "report.json"));
    CHECK(evaluated["accuracy"] == report["accuracy"]);
    CHECK(evaluated["weights"] == weights);
    CHECK_FALSE(evaluated["phases"].contains("unsupervised"));
    CHECK(eval.out.find("(no unsupervised phase)") != std::string::npos);
    const Finished resumed = run({kProgram, "train", "--resume", out, "--quiet"}, dir / "log");
    REQUIRE_MESSAGE(resumed.exit_code == 0, resumed.err);
    const nlohmann::json again = nlohmann::json::parse(slurp(fs::path(out) / "report.json"));
    CHECK(again["accuracy"] == report["accuracy"]);
    CHECK(again["resumed_after_stages"] == 2);
    CHECK(again["phases"]["unsupervised"]["presentations"] == 1200);
    ::unsetenv("SOFTSPIKE_BLAS_CORETYPE");
    // Weights of another network are a checkpoint error naming the file and the block: exit 5.
    const Finished other = run({kProgram, "eval", "--config", deep, "--set", "network.layers=" + layers, "--set",
                                "network.layers[1].filters=12", "--weights", weights, "--out", out2, "--quiet"},
                               dir / "log");
    CHECK(other.exit_code == 5);
    CHECK_MESSAGE(other.err.find("deep_weights.ckpt: block 2: 16 kernels of 72 weights, the network has 12 of 72") !=
                      std::string::npos,
                  other.err);
}

TEST_CASE("the CIFAR-10 preset trains a deep network on three-channel files the test writes") {
    const fs::path dir = scratch("cifar");
    for (std::size_t b = 1; b <= 5; ++b) {
        write_bytes(dir / ("data_batch_" + std::to_string(b) + ".bin"), cifar_records((b - 1) * 6, 6));
    }
    write_bytes(dir / "test_batch.bin", cifar_records(100, 10));
    const std::string preset = std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/softhebb_cifar10.json";
    const std::string out = (dir / "out").string();
    const std::string layers =
        R"([{"filters": 8, "kernel": 3, "padding": 1, "padding_mode": "reflect", "temperature": 1,)"
        R"( "learning_rate": 0.08, "anti_hebbian": true, "normalise_update": true, "adaptive_power": 0.5,)"
        R"( "pool": {"kind": "max", "size": 4, "stride": 2, "padding": 1}},)"
        R"( {"filters": 8, "kernel": 3, "padding": 1, "temperature": 1, "learning_rate": 0.01,)"
        R"( "pool": {"kind": "average", "size": 2, "stride": 2}}])";
    const Finished ok = run({kProgram, "train", "--config", preset, "--set", "data.dir=" + dir.string(), "--set",
                             "network.layers=" + layers, "--set", "readout.l2_candidates=[]", "--out", out, "--quiet"},
                            dir / "log");
    REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
    const nlohmann::json report = nlohmann::json::parse(slurp(fs::path(out) / "report.json"));
    CHECK(report["features"] == 8 * 8 * 8);                                          // 32 -> pool 16 -> pool 8
    CHECK(report["blocks"][0]["features_macs_per_image"] == 32.0 * 32 * 3 * 9 * 8);  // three input channels
    CHECK(report["phases"]["unsupervised"]["presentations"] == 60);                  // 30 images, two layers
    // A file that ends inside a record is a data error naming the file and the offset: exit 4, nothing written.
    std::vector<std::uint8_t> truncated = cifar_records(0, 2);
    truncated.pop_back();
    write_bytes(dir / "data_batch_4.bin", truncated);
    const std::string out2 = (dir / "out2").string();
    const Finished bad = run({kProgram, "train", "--config", preset, "--set", "data.dir=" + dir.string(), "--set",
                              "network.layers=" + layers, "--out", out2, "--quiet"},
                             dir / "log2");
    CHECK(bad.exit_code == 4);
    CHECK_MESSAGE(bad.err.find("data_batch_4.bin: truncated CIFAR-10 record at byte offset 3073") != std::string::npos,
                  bad.err);
    CHECK_FALSE(fs::exists(out2));
}

TEST_CASE(
    "softspike events counts a deep network per block and draws its report, and a missing weights file is exit 5") {
    const fs::path dir = scratch("deep-events");
    const std::string deep = std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/deep_fmnist.json";
    const std::string out = (dir / "out").string();
    const std::string layers =
        R"([{"filters": 8, "kernel": 5, "padding": 2, "temperature": 1, "learning_rate": 0.08, "anti_hebbian": true,)"
        R"( "normalise_update": true, "adaptive_power": 0.5, "pool": {"kind": "max", "size": 4, "stride": 2, "padding": 1}},)"
        R"( {"filters": 16, "kernel": 3, "padding": 1, "temperature": 1, "learning_rate": 0.01,)"
        R"( "pool": {"kind": "average", "size": 7, "stride": 7}}])";
    const Finished refused =
        run({kProgram, "events", "--config", deep, "--weights", (dir / "none.ckpt").string(), "--out", out, "--quiet"},
            dir / "log");
    CHECK(refused.exit_code == 5);
    CHECK_MESSAGE(refused.err.find("none.ckpt: cannot open checkpoint") != std::string::npos, refused.err);
    CHECK_FALSE(fs::exists(out));
    const Finished ok =
        run({kProgram, "events", "--config", deep, "--set", "network.layers=" + layers, "--set",
             "data.train_images=100", "--set", "data.test_images=50", "--learning", "--out", out, "--quiet"},
            dir / "log");
    REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
    const nlohmann::json report = nlohmann::json::parse(slurp(fs::path(out) / "report.json"));
    CHECK(report["phase"] == "training (plasticity on)");
    CHECK_FALSE(report.contains("accuracy"));
    const nlohmann::json& learning = report["hardware"]["unsupervised training"];
    const nlohmann::json& frozen = report["hardware"]["evaluation, test set"];
    REQUIRE(learning["blocks"].size() == 2);
    // Frozen, per test image: block 1 is 28 x 28 positions x 25 inputs x 8 filters, every one a MAC and a read.
    CHECK(frozen["blocks"][0]["neurobench"]["SynapticOperations"]["Dense"] == 28.0 * 28 * 25 * 8);
    CHECK(frozen["blocks"][0]["per_image"]["weight_read_byte"] == 28.0 * 28 * 25 * 8 * 4);
    CHECK(frozen["blocks"][0]["per_image"]["plasticity_update"] == 0.0);
    // Learning, layer by layer in batches of 10: block 1 learns in its own stage (10 batches, every synapse once
    // per batch) and runs frozen in block 2's.
    CHECK(learning["blocks"][0]["counts"]["plasticity_update"] == 10.0 * 25 * 8);
    CHECK(learning["blocks"][0]["counts"]["synaptic_event"] == 2.0 * 100 * 28 * 28 * 25 * 8);
    CHECK(learning["total"]["counts"]["synaptic_event"] ==
          learning["blocks"][0]["counts"]["synaptic_event"].get<double>() +
              learning["blocks"][1]["counts"]["synaptic_event"].get<double>());
    CHECK(learning["blocks"][0]["energy"].contains("horowitz45_fp32"));
    CHECK_FALSE(learning["blocks"][0]["energy"].contains("loihi"));  // a spiking chip's table prices no MAC
    CHECK(report["kernel_norm_curve"].size() > 2);
    const std::string html = slurp(fs::path(out) / "report.html");
    CHECK(html.find("id=\"kernels-1\"") != std::string::npos);
    CHECK(html.find("id=\"kernels-2\"") != std::string::npos);
    CHECK(html.find("id=\"kernel-norm-curve\"") != std::string::npos);
    CHECK(html.find("id=\"deep-energy-0\"") != std::string::npos);
    CHECK(ok.out.find("block 2:") != std::string::npos);
}

TEST_CASE("softspike events --chip maps the layer onto cores with packets from the counted spikes, and a neuron "
          "that no core holds is exit 3") {
    const fs::path dir = scratch("events-chip");
    const std::string chips = std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/chips/";
    const Finished f = run(with(small_run("events", dir / "out", 500),
                                {"--set", "population.kind=lif", "--chip", chips + "loihi_like.json"}),
                           dir / "events");
    REQUIRE_MESSAGE(f.exit_code == 0, f.err);
    CHECK(f.out.find("chip mapping onto 'loihi_like'") != std::string::npos);
    const nlohmann::json r = nlohmann::json::parse(slurp(dir / "out" / "report.json"));
    const nlohmann::json& layer = r["chip_mapping"]["layers"][0];
    // 20 LIF neurons of 784 inputs at 32 bits: 785 synapses each (one inhibitory), 3,140 bytes; 131,072 bytes
    // per core hold 41 of them, so all 20 fit on one core; no packet crosses between cores for inhibition.
    CHECK(layer["neurons_per_core"] == 20);
    CHECK(layer["cores_used"] == 1);
    CHECK(layer["fullest_core"]["axons"] == 785);
    CHECK(layer["fullest_core"]["synaptic_memory_bytes"] == 20 * 785 * 4);
    const nlohmann::json& counts = r["spiking"]["counts"];
    CHECK(layer["packets"]["input"].get<double>() == counts["input_spike"].get<double>());
    CHECK(layer["packets"]["inhibition"] == 0);
    CHECK(layer["packets"]["output"].get<double>() == counts["output_spike"].get<double>());
    CHECK(layer["steps_to_decision"] == 40);

    // 200 neurons at 32 bits need 5 cores (41 + 41 + 41 + 41 + 36): each input spike reaches 5 cores, each
    // output spike inhibits the 4 others.
    const Finished wide = run(with(small_run("events", dir / "wide", 500),
                                   {"--set", "population.kind=lif", "--set", "population.neurons=200", "--chip",
                                    chips + "loihi_like.json"}),
                              dir / "wide");
    REQUIRE_MESSAGE(wide.exit_code == 0, wide.err);
    const nlohmann::json w = nlohmann::json::parse(slurp(dir / "wide" / "report.json"));
    const nlohmann::json& wl = w["chip_mapping"]["layers"][0];
    CHECK(wl["neurons_per_core"] == 41);
    CHECK(wl["cores_used"] == 5);
    CHECK(wl["packets"]["input"].get<double>() == 5 * w["spiking"]["counts"]["input_spike"].get<double>());
    CHECK(wl["packets"]["inhibition"].get<double>() == 4 * w["spiking"]["counts"]["output_spike"].get<double>());

    fs::remove_all(dir / "out");
    check_rejected({"a fan-in beyond the core's axons",
                    with(small_run("events", dir / "out2", 500), {"--chip", chips + "truenorth_like.json"}), 3,
                    "truenorth_like.json: key 'axons_per_core': a neuron of layer 'soft-WTA' needs 784 axons"},
                   dir);
    std::ofstream(dir / "bad_chip.json") << R"({"name": "x", "source": "y", "cores": 0})";
    check_rejected({"a bad chip file", with(small_run("events", dir / "out2", 500), {"--chip", (dir / "bad_chip.json").string()}),
                    3, "bad_chip.json: key 'cores': expected a whole number >= 1"},
                   dir);
}
