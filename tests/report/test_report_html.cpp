// report.html and the .npy export: the files byte for byte, and the page rendered by headless Chromium.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>

#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/npy.hpp"
#include "process.hpp"
#include "report/png.hpp"

using namespace softspike;
using namespace softspike::testing;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return testing::scratch("softspike_test_html", name); }

std::vector<std::string> small(const std::string& command, const fs::path& out) {
    return {kProgram,   command,
            "--config", kConfig,
            "--set",    "population.neurons=16",
            "--set",    "data.train_images=600",
            "--set",    "data.test_images=100",
            "--set",    "evaluation.output_rate_hz=2000",
            "--out",    out.string(),
            "--quiet"};
}
}  // namespace

TEST_CASE(".npy files are written byte-exactly as numpy.save writes them, header included, and read back") {
    const fs::path dir = scratch("npy");
    const std::vector<float> values{1.0F, -2.5F, 0.0F, 3.25F, 1e-30F, -0.0F};
    write_file_atomically(dir / "a.npy", encode_npy(npy_float32({2, 3}, values)));
    const std::string bytes = slurp(dir / "a.npy");
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    header.append(128 - 10 - header.size() - 1, ' ');  // padded so that the data starts at byte 128 (64-aligned)
    header.push_back('\n');
    std::string expected("\x93NUMPY\x01\x00", 8);
    expected.push_back(static_cast<char>(header.size()));
    expected.push_back('\0');
    expected += header;
    expected.append(reinterpret_cast<const char*>(values.data()), values.size() * 4);
    CHECK(bytes == expected);
    const NpyArray back = decode_npy(bytes, "a.npy");
    CHECK(back.descr == "<f4");
    CHECK(back.shape == std::vector<std::uint64_t>{2, 3});
    CHECK(back.data == expected.substr(128));

    const std::vector<std::uint8_t> labels{9, 0, 3, 1, 7};
    const std::string u8 = encode_npy(npy_uint8({5}, labels));
    CHECK(u8.find("'descr': '|u1', 'fortran_order': False, 'shape': (5,), }") != std::string::npos);
    CHECK(u8.size() == 128 + 5);  // this header needs two 64-byte blocks
    CHECK(decode_npy(u8, "b.npy").shape == std::vector<std::uint64_t>{5});
    CHECK_THROWS(decode_npy(u8.substr(0, u8.size() - 1), "short.npy"));
}

TEST_CASE("a PNG has the signature, its chunks and a base64 that round-trips the length") {
    const std::string png = encode_png_grey(3, 2, {0, 128, 255, 1, 2, 3});
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(png.substr(12, 4) == "IHDR");
    CHECK(png.find("IDAT") != std::string::npos);
    CHECK(png.substr(png.size() - 8, 4) == "IEND");
    CHECK(base64("Man") == "TWFu");
    CHECK(base64("Ma") == "TWE=");
    CHECK(base64("M") == "TQ==");
}

TEST_CASE("--export-npy writes the weights, rates and labels of the run") {
    const fs::path dir = scratch("export");
    auto args = small("train", dir / "out");
    args.push_back("--export-npy");
    const Finished f = run(args, dir / "log");
    REQUIRE_MESSAGE(f.exit_code == 0, f.err);
    const NetworkModel model = load_checkpoint(dir / "out" / "weights.ckpt");
    const NpyArray w = decode_npy(slurp(dir / "out" / "weights.npy"), "weights.npy");
    CHECK(w.shape == std::vector<std::uint64_t>{784, 16});
    CHECK(std::memcmp(w.data.data(), model.weights.weights().data(), w.data.size()) == 0);
    CHECK(decode_npy(slurp(dir / "out" / "rates_train.npy"), "r").shape == std::vector<std::uint64_t>{600, 16});
    CHECK(decode_npy(slurp(dir / "out" / "rates_test.npy"), "r").shape == std::vector<std::uint64_t>{100, 16});
    CHECK(decode_npy(slurp(dir / "out" / "labels_test.npy"), "l").descr == "|u1");
    CHECK(decode_npy(slurp(dir / "out" / "biases.npy"), "b").shape == std::vector<std::uint64_t>{16});
}

TEST_CASE(
    "report.html renders in headless Chromium with every figure, for train, eval, events, compare and robustness") {
    const fs::path dir = scratch("chromium");
    REQUIRE(run(small("train", dir / "train"), dir / "train").exit_code == 0);
    auto eval = small("eval", dir / "eval");
    eval.insert(eval.end(), {"--weights", (dir / "train" / "weights.ckpt").string()});
    REQUIRE(run(eval, dir / "eval").exit_code == 0);
    REQUIRE(run(small("events", dir / "events"), dir / "events").exit_code == 0);
    auto compare = small("compare", dir / "compare");
    compare.insert(compare.end(), {"--set", "compare.spike_budgets=[40,0]"});
    REQUIRE(run(compare, dir / "compare").exit_code == 0);
    auto robustness = small("robustness", dir / "robustness");
    robustness.insert(robustness.end(),
                      {"--weights", (dir / "train" / "weights.ckpt").string(), "--set", "robustness.baseline_epochs=2",
                       "--set", "robustness.pgd_steps=2", "--set", "robustness.training_sizes=[100,600]"});
    const Finished robust = run(robustness, dir / "robustness_log");
    REQUIRE_MESSAGE(robust.exit_code == 0, robust.err);
    for (const char* run_dir : {"train", "eval", "events", "compare", "robustness"}) {
        CHECK(fs::exists(dir / run_dir / "report.html"));
    }
    CHECK(fs::exists(dir / "robustness" / "robustness.csv"));

    const fs::path chromium = "/usr/bin/chromium";
    if (!fs::exists(chromium)) {
        MESSAGE("SKIPPED: /usr/bin/chromium is absent (apt-get install chromium); .ci/run installs it");
        return;
    }
    struct Expect {
        const char* run_dir;
        std::vector<std::string> ids;
        const char* images = "1/1";  // embedded images decoded / present
    };
    const std::vector<Expect> pages{
        {"train",
         {"accuracy", "receptive-fields", "running-accuracy", "raster-0", "raster-1", "confusion-linear",
          "confusion-label-assignment", "energy-training", "energy-evaluation-test"}},
        {"eval", {"accuracy", "receptive-fields", "raster-0", "confusion-linear", "energy-evaluation-test"}},
        {"events", {"energy-0", "energy-1", "receptive-fields"}},
        {"compare",
         {"compare-table", "accuracy-vs-events", "spiking-sweep", "rate-point", "training-table", "running-accuracy",
          "receptive-fields"}},
        {"robustness",
         {"robustness-noise", "robustness-fgsm", "robustness-pgd", "few-examples", "attack-grid"},
         "24/24"},
    };
    for (const Expect& page : pages) {
        const std::string page_name = page.run_dir;
        CAPTURE(page_name);
        const Finished shown =
            run({chromium.string(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                 "--dump-dom", "file://" + (dir / page.run_dir / "report.html").string()},
                dir / (std::string(page.run_dir) + "_chromium"));
        REQUIRE(shown.exit_code == 0);
        for (const std::string& id : page.ids) {
            CAPTURE(id);
            CHECK(shown.out.find("id=\"" + id + "\"") != std::string::npos);
        }
        // Every embedded image decoded, and the page logged no script or load error.
        CHECK(shown.out.find("data-images-decoded=\"" + std::string(page.images) + "\"") != std::string::npos);
        CHECK(shown.err.find("Uncaught") == std::string::npos);
        CHECK(shown.err.find("net::ERR") == std::string::npos);
        if (std::string(page.run_dir) != "events") CHECK(shown.out.find("<svg") != std::string::npos);
    }
}
