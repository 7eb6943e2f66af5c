// softspike compare as users run it: every promised field in report.json and compare.csv, a report.html
// with the comparison curve, weights both forms can load, and clear errors for configs it cannot run.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/checkpoint.hpp"
#include "process.hpp"

using namespace softspike;
using namespace softspike::testing;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return testing::scratch("softspike_test_compare", name); }

std::vector<std::string> small_compare(const fs::path& out) {
    return {kProgram,   "compare",
            "--config", kConfig,
            "--set",    "population.neurons=20",
            "--set",    "data.train_images=600",
            "--set",    "data.test_images=200",
            "--set",    "evaluation.output_rate_hz=2000",
            "--set",    "compare.spike_budgets=[50,0]",
            "--set",    "compare.input_spikes=[100]",
            "--set",    "compare.output_draws=[30,0]",
            "--set",    "rate.hidden_layers=[12]",
            "--out",    out.string(),
            "--quiet"};
}

}  // namespace

TEST_CASE("compare writes every field it promises, in report.json, compare.csv and report.html") {
    const fs::path dir = scratch("fields");
    const Finished f = run(small_compare(dir / "out"), dir / "log");
    REQUIRE_MESSAGE(f.exit_code == 0, f.err);
    CHECK(f.out.find("cheapest swept evaluation within 1 point") != std::string::npos);
    const nlohmann::json r = nlohmann::json::parse(slurp(dir / "out/report.json"));
    for (const char* key :
         {"command", "seed", "threads", "versions", "config", "training", "points", "sweep", "gap_percentage_points",
          "cheapest_sweep_point_within_1pp", "rate_learning_rate", "total_seconds", "peak_rss_mib"}) {
        CHECK_MESSAGE(r.contains(key), key);
    }
    REQUIRE(r["training"].size() == 2);
    for (const auto& t : r["training"]) {
        for (const char* key : {"form", "images", "seconds", "images_per_second", "per_image", "running_accuracy"}) {
            CHECK_MESSAGE(t.contains(key), key);
        }
        CHECK(t["images"] == 600);
        CHECK(t["per_image"]["plasticity_updates"].get<double>() > 0.0);
    }
    CHECK(r["training"][0]["per_image"].contains("synaptic_events"));
    // Rate training: 784 x 20 forward MACs per image in layer 1 and 20 x 12 in the stacked layer.
    CHECK(r["training"][1]["per_image"]["macs"] == 784 * 20 + 20 * 12);
    // Own weights, then each form with the other's.
    REQUIRE(r["points"].size() == 4);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"spiking", "spike-trained"}, {"rate", "rate-trained"}, {"spiking", "rate-trained"}, {"rate", "spike-trained"}};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& p = r["points"][i];
        CHECK(p["form"] == expected[i].first);
        CHECK(p["weights"] == expected[i].second);
        CHECK(p["linear_accuracy"].get<double>() > 0.1);  // above chance even at this size
        CHECK(p.contains("label_assignment_accuracy"));
        CHECK(p.contains("eval_seconds"));
        if (p["form"] == "spiking") {
            CHECK(p["per_image"]["synaptic_events"].get<double>() ==
                  doctest::Approx(20.0 * p["per_image"]["input_spikes"].get<double>()));
        } else {
            CHECK(p["per_image"]["macs"] == 784 * 20 + 20 * 12);
        }
    }
    // Two chip budgets, one fixed-count input, two output settings, in that order.
    REQUIRE(r["sweep"].size() == 5);
    CHECK(r["sweep"][0]["sweep"] == "spike_budget");
    CHECK(r["sweep"][0]["spike_budget"] == 50);
    CHECK(r["sweep"][0]["per_image"]["input_spikes"].get<double>() <= 50.0);
    CHECK(r["sweep"][1]["spike_budget"] == 0);
    CHECK(r["sweep"][1]["per_image"] == r["points"][0]["per_image"]);
    // The fixed-count code: exactly 100 spikes through 20 synapses each, for every (non-blank) test image.
    CHECK(r["sweep"][2]["sweep"] == "input_spikes");
    CHECK(r["sweep"][2]["spikes_per_image"] == 100);
    CHECK(r["sweep"][2]["per_image"]["input_spikes"] == 100.0);
    CHECK(r["sweep"][2]["per_image"]["synaptic_events"] == 2000.0);
    // 30 output draws per image on average (a Poisson count over 200 images), and none for the drive read-out,
    // whose input is the training code's.
    CHECK(r["sweep"][3]["sweep"] == "output_draws");
    CHECK(r["sweep"][3]["signal"] == "spike_counts");
    CHECK(r["sweep"][3]["per_image"]["output_spikes"].get<double>() == doctest::Approx(30.0).epsilon(0.05));
    CHECK(r["sweep"][4]["signal"] == "drive");
    CHECK(r["sweep"][4]["per_image"]["output_spikes"] == 0.0);
    CHECK(r["sweep"][4]["per_image"]["input_spikes"] == r["points"][0]["per_image"]["input_spikes"]);
    CHECK(r["gap_percentage_points"]["linear"].get<double>() ==
          doctest::Approx(100.0 * (r["points"][1]["linear_accuracy"].get<double>() -
                                   r["points"][0]["linear_accuracy"].get<double>())));

    // compare.csv: a header and one row per point and per sweep point.
    std::istringstream csv(slurp(dir / "out/compare.csv"));
    std::string line;
    std::getline(csv, line);
    CHECK(line.rfind("set,form,weights,spike_budget,spikes_per_image,signal,output_spikes_per_image,linear_accuracy,",
                     0) == 0);
    int rows = 0;
    while (std::getline(csv, line)) ++rows;
    CHECK(rows == 9);

    const std::string html = slurp(dir / "out/report.html");
    for (const char* id :
         {"id=\"compare-table\"", "id=\"accuracy-vs-events\"", "id=\"rate-point\"", "id=\"spiking-sweep\"",
          "id=\"input-spikes-sweep\"", "id=\"accuracy-vs-draws\"", "id=\"output-draws-sweep\"", "id=\"drive-point\"",
          "id=\"running-accuracy\"", "id=\"receptive-fields\""}) {
        CHECK_MESSAGE(html.find(id) != std::string::npos, id);
    }
    // The weights of both forms load as checkpoints, the stacked layer too.
    CHECK(load_checkpoint(dir / "out/weights_spiking.ckpt").weights.targets() == 20);
    CHECK(load_checkpoint(dir / "out/weights_rate.ckpt").weights.targets() == 20);
    CHECK(load_checkpoint(dir / "out/weights_rate_layer2.ckpt").weights.sources() == 20);
}

TEST_CASE("compare refuses a rule without a rate form, and a bad --forms, before writing anything") {
    const fs::path dir = scratch("refused");
    std::vector<std::string> args = small_compare(dir / "out");
    args.insert(args.end(), {"--set", "plasticity.rule=stdp"});
    Finished f = run(args, dir / "log");
    CHECK(f.exit_code == 3);
    CHECK(f.err.find("plasticity.rule") != std::string::npos);
    CHECK(f.err.find("stdp") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out"));
    // The spiking form alone runs STDP.
    args.insert(args.end(), {"--forms", "spiking", "--set", "compare.spike_budgets=[]"});
    f = run(args, dir / "log");
    CHECK_MESSAGE(f.exit_code == 0, f.err);
    const nlohmann::json r = nlohmann::json::parse(slurp(dir / "out/report.json"));
    CHECK(r["points"].size() == 1);
    CHECK(r["gap_percentage_points"].is_null());
    f = run({kProgram, "compare", "--config", kConfig, "--forms", "dense", "--out", (dir / "out2").string()},
            dir / "log");
    CHECK(f.exit_code == 2);
    CHECK(f.err.find("--forms") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out2"));
}

TEST_CASE("compare on a deep network writes both forms' kernels, the per-map sweep with events per block and a "
          "report.html with its curve") {
    const fs::path dir = scratch("deep");
    const fs::path deep_config = fs::path(SOFTSPIKE_SOURCE_DIR) / "configs/deep_fmnist.json";
    const Finished f = run({kProgram, "compare", "--config", deep_config.string(), "--set", "data.train_images=120",
                            "--set", "data.test_images=60", "--set", "network.layers[0].filters=8", "--set",
                            "network.layers[1].filters=8", "--set", "network.layers[2].filters=8", "--set",
                            "compare.deep_budgets=[2]", "--set", "readout.l2_candidates=[]", "--out",
                            (dir / "out").string(), "--quiet"},
                           dir / "log");
    REQUIRE_MESSAGE(f.exit_code == 0, f.err);
    for (const char* file : {"report.json", "compare.csv", "report.html", "deep_weights_rate.ckpt",
                             "deep_weights_spiking.ckpt"}) {
        CHECK_MESSAGE(fs::exists(dir / "out" / file), file);
    }
    const nlohmann::json r = nlohmann::json::parse(slurp(dir / "out/report.json"));
    REQUIRE(r["points"].size() == 4);
    REQUIRE(r["sweep"].size() == 3);  // the image's map and blocks 1 and 2's, one budget each
    for (const auto& p : r["sweep"]) {
        CHECK(p["budget"] == 2.0);
        CHECK(p["per_image"]["per_block"].size() == 3);
    }
    CHECK(r["sweep"][0]["sweep"] == "input_spikes_per_pixel");
    CHECK(r["sweep"][2]["sweep"] == "layers[1].spikes_per_unit");
    const std::string html = slurp(dir / "out/report.html");
    CHECK(html.find("id=\"accuracy-vs-events\"") != std::string::npos);
    CHECK(html.find("id=\"deep-sweep\"") != std::string::npos);
    CHECK(html.find("layers[1].spikes_per_unit swept") != std::string::npos);
}
