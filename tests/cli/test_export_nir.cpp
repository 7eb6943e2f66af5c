// softspike export-nir: trained weights as a NIR graph that reads back equal and that an independent checker
// (h5py against NIR's layout, scripts/validate_nir.py) accepts; what it cannot export is refused by name.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/checkpoint.hpp"
#include "io/nir_file.hpp"
#include "process.hpp"

using namespace softspike;
using namespace softspike::testing;
namespace fs = std::filesystem;

namespace {

const std::string kValidator = std::string(SOFTSPIKE_SOURCE_DIR) + "/scripts/validate_nir.py";

// Debian's python3, where python3-h5py installs (not a python3 another tool put first on the PATH).
// What must survive export and import: the accuracies and every count of the frozen passes.
nlohmann::json numbers_of(const fs::path& report) {
    const nlohmann::json r = nlohmann::json::parse(slurp(report));
    nlohmann::json n;
    n["accuracy"] = r["accuracy"];
    for (const auto& [phase, stats] : r["phases"].items()) n["counts"][phase] = stats["counts"];
    return n;
}

bool have_h5py() { return std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") == 0; }

}  // namespace

TEST_CASE(
    "export-nir writes the trained network in both forms as NIR graphs whose weights are the checkpoint's, "
    "which NIR's layout accepts, and refuses a deep network and missing arguments") {
    const fs::path dir = scratch("softspike_test_export_nir", "export");
    const Finished trained = run({kProgram, "train", "--config", kConfig, "--set", "population.neurons=12", "--set",
                                  "data.train_images=500", "--set", "data.test_images=100", "--set",
                                  "readout.l2_candidates=[]", "--out", (dir / "run").string(), "--quiet"},
                                 dir / "train");
    REQUIRE(trained.exit_code == 0);
    const fs::path weights = dir / "run" / "weights.ckpt";
    const NetworkModel model = load_checkpoint(weights);
    for (const char* kind : {"stochastic", "lif"}) {
        CAPTURE(kind);
        const fs::path nir = dir / (std::string(kind) + ".nir");
        const Finished exported =
            run({kProgram, "export-nir", "--config", kConfig, "--set", "population.neurons=12", "--set",
                 std::string("population.kind=") + kind, "--weights", weights.string(), "--out", nir.string()},
                dir / (std::string("export_") + kind));
        REQUIRE(exported.exit_code == 0);
        CHECK(exported.out.find("NIR graph") != std::string::npos);
        const NirGraph g = read_nir_file(nir);
        CHECK(g.nodes.at("input").parameters.at("shape").values == std::vector<double>{784});
        CHECK(g.nodes.at("output").parameters.at("shape").values == std::vector<double>{12});
        const std::string layer = std::string(kind) == "lif" ? "linear" : "affine";
        const NirArray& w = g.nodes.at(layer).parameters.at("weight");
        REQUIRE(w.shape == std::vector<std::size_t>{12, 784});
        // NIR's (out, in) against our source-major weights, exactly (float32 both ways).
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < 784; ++i) {
            for (std::size_t k = 0; k < 12; ++k) {
                mismatches += w.values[k * 784 + i] != static_cast<double>(model.weights.at(i, k)) ? 1 : 0;
            }
        }
        CHECK(mismatches == 0);
        if (std::string(kind) == "stochastic") {
            CHECK(g.nodes.at("affine").parameters.at("bias").values.size() == 12);
            CHECK(g.nodes.at("trace").type == "LI");
            CHECK(g.nodes.at("affine").metadata.at("softspike").find("softmax") != std::string::npos);
            CHECK(g.edges.size() == 3);
        } else {
            CHECK(g.nodes.at("lif").type == "LIF");
            CHECK(g.nodes.at("inhibition").parameters.at("weight").values[1] < 0.0);
            CHECK(g.nodes.at("inhibition").parameters.at("weight").values[0] == 0.0);  // no self-inhibition
            bool recurrent = false;
            for (const auto& e : g.edges) recurrent = recurrent || (e.first == "inhibition" && e.second == "lif");
            CHECK(recurrent);
        }
        // Round trip: the graph, run by softspike, gives the numbers the weights give.
        const std::vector<std::string> same = {"--config", kConfig, "--set", "population.neurons=12", "--set",
                                               std::string("population.kind=") + kind, "--set", "data.train_images=500",
                                               "--set", "data.test_images=100", "--set", "readout.l2_candidates=[]",
                                               "--quiet"};
        std::vector<std::string> eval = {kProgram, "eval", "--weights", weights.string(), "--out",
                                         (dir / (std::string("eval_") + kind)).string()};
        std::vector<std::string> imported = {kProgram, "run-nir", nir.string(), "--out",
                                             (dir / (std::string("nir_") + kind)).string()};
        eval.insert(eval.end(), same.begin(), same.end());
        imported.insert(imported.end(), same.begin(), same.end());
        REQUIRE(run(eval, dir / (std::string("eval_") + kind)).exit_code == 0);
        const Finished ran = run(imported, dir / (std::string("run_nir_") + kind));
        REQUIRE(ran.exit_code == 0);
        CHECK(numbers_of(dir / (std::string("nir_") + kind) / "report.json") ==
              numbers_of(dir / (std::string("eval_") + kind) / "report.json"));
        if (have_h5py()) {
            const Finished checked = run({"/usr/bin/python3", kValidator, nir.string()}, dir / (std::string("check_") + kind));
            CHECK(checked.exit_code == 0);
            CHECK(checked.out.find(": ok (") != std::string::npos);
        } else {
            MESSAGE("python3-h5py is not installed: the NIR layout check is skipped (scripts/setup.sh installs it)");
        }
    }
    // The checker is not a formality: an Affine without its bias and a size mismatch along an edge fail it.
    if (have_h5py()) {
        NirGraph broken = read_nir_file(dir / "stochastic.nir");
        broken.nodes.at("affine").parameters.erase("bias");
        broken.nodes.at("output").parameters.at("shape").values = {13};
        write_nir_file(dir / "broken.nir", broken);
        const Finished checked = run({"/usr/bin/python3", kValidator, (dir / "broken.nir").string()}, dir / "broken");
        CHECK(checked.exit_code == 1);
        CHECK(checked.out.find("/node/nodes/affine/bias: missing") != std::string::npos);
    }
    // A graph softspike does not run is refused naming the node and its type, before any output.
    NirGraph other = read_nir_file(dir / "stochastic.nir");
    other.nodes.at("trace").type = "CubaLIF";
    write_nir_file(dir / "cuba.nir", other);
    const Finished cuba = run({kProgram, "run-nir", (dir / "cuba.nir").string(), "--config", kConfig, "--out",
                               (dir / "cuba_run").string()},
                              dir / "cuba");
    CHECK(cuba.exit_code == 5);
    CHECK(cuba.err.find("node \"trace\" (CubaLIF): node type not run by softspike; supported:") != std::string::npos);
    CHECK(!fs::exists(dir / "cuba_run"));
    NirGraph uneven = read_nir_file(dir / "lif.nir");
    uneven.nodes.at("lif").parameters.at("v_threshold").values[3] = 0.7;
    write_nir_file(dir / "uneven.nir", uneven);
    const Finished thresholds = run({kProgram, "run-nir", (dir / "uneven.nir").string(), "--config", kConfig}, dir / "uneven");
    CHECK(thresholds.exit_code == 5);
    CHECK(thresholds.err.find("node \"lif\" (LIF): parameter 'v_threshold' differs between entries") != std::string::npos);
    // A deep network is refused naming the key; missing arguments are usage errors.
    const Finished deep = run({kProgram, "export-nir", "--config", std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/deep_fmnist.json",
                               "--weights", weights.string(), "--out", (dir / "deep.nir").string()},
                              dir / "deep");
    CHECK(deep.exit_code == 3);
    CHECK(deep.err.find("network.layers") != std::string::npos);
    CHECK(!fs::exists(dir / "deep.nir"));
    const Finished no_out = run({kProgram, "export-nir", "--config", kConfig, "--weights", weights.string()}, dir / "no_out");
    CHECK(no_out.exit_code == 2);
    CHECK(no_out.err.find("--out") != std::string::npos);
}
