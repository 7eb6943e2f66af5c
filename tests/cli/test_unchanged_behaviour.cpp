// The reference configs give the same bytes and numbers as the recorded ones: the weights checkpoints byte
// for byte (as a 64-bit FNV-1a fingerprint) and every number of report.json that is not a time, a memory
// figure or a description of the machine. Recorded from the code before the layout was reorganised, so that
// moving code between folders provably changed nothing. Re-record (SOFTSPIKE_RECORD_UNCHANGED=1) only for a
// change that is meant to change numbers, and say so in its commit.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "process.hpp"

using namespace softspike::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kRecorded = fs::path(SOFTSPIKE_SOURCE_DIR) / "tests/data/unchanged_behaviour.json";

std::string fnv1a64(const std::string& bytes) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
    return text;
}

// Keys whose values depend on the machine, the moment or the command line, not on the simulation.
bool machine_dependent(const std::string& key) {
    static const std::set<std::string> keys = {"command",           "versions",
                                               "threads",           "config",
                                               "openblas_core",     "peak_rss_mib",
                                               "timings_s",         "seconds",
                                               "images_per_second", "synaptic_events_per_second",
                                               "total_seconds",     "load_seconds"};
    return keys.count(key) != 0 || key.find("seconds") != std::string::npos;
}

nlohmann::json simulation_numbers(const nlohmann::json& j) {
    if (j.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, value] : j.items()) {
            if (!machine_dependent(key)) out[key] = simulation_numbers(value);
        }
        return out;
    }
    if (j.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& value : j) out.push_back(simulation_numbers(value));
        return out;
    }
    return j;
}

// One reference run, reduced in size: its command and the files whose bytes it fingerprints.
struct ReferenceRun {
    std::string name;
    std::vector<std::string> args;  // after the program name; --out and --quiet are added
    std::vector<std::string> weight_files;
};

std::vector<ReferenceRun> reference_runs() {
    const std::string configs = std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/";
    const auto small = [](std::size_t train, std::size_t test) {
        return std::vector<std::string>{"--set", "data.train_images=" + std::to_string(train), "--set",
                                        "data.test_images=" + std::to_string(test)};
    };
    auto join = [](std::vector<std::string> a, const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    return {
        {"default_train", join({"train", "--config", configs + "default.json"}, small(1500, 300)), {"weights.ckpt"}},
        {"low_rate_train", join({"train", "--config", configs + "low_rate.json"}, small(1500, 300)), {"weights.ckpt"}},
        {"low_rate_events_learning",
         join({"events", "--config", configs + "low_rate.json", "--learning"}, small(500, 100)),
         {}},
        {"rate_2000_compare",
         // Two sweep points of the six: the sweep's code is the same for each, and the test runs under ASan too.
         join({"compare", "--config", configs + "rate_2000.json", "--set", "compare.spike_budgets=[400,0]"},
              small(1000, 300)),
         {"weights_spiking.ckpt", "weights_rate.ckpt"}},
        {"bench_diehl_cook_train",
         join({"train", "--config", configs + "bench_diehl_cook.json"}, small(200, 100)),
         {"weights.ckpt"}},
    };
}

}  // namespace

TEST_CASE("the reference configs give the recorded weights and report numbers, bit for bit") {
    const bool record = std::getenv("SOFTSPIKE_RECORD_UNCHANGED") != nullptr;
    nlohmann::json recorded;
    if (!record) {
        REQUIRE_MESSAGE(fs::exists(kRecorded), "missing " << kRecorded);
        recorded = nlohmann::json::parse(slurp(kRecorded));
    }
    // The rate weights depend on the sgemm kernels' rounding: the fingerprints were recorded with OpenBLAS's
    // Haswell kernels, which every AVX2 machine runs, whatever softspike would pick for the CPU it is on.
    ::setenv("SOFTSPIKE_BLAS_CORETYPE", "Haswell", 1);
    nlohmann::json measured;
    for (const ReferenceRun& run_spec : reference_runs()) {
        CAPTURE(run_spec.name);
        const fs::path out = scratch("softspike_test_unchanged", run_spec.name);
        std::vector<std::string> args{kProgram};
        args.insert(args.end(), run_spec.args.begin(), run_spec.args.end());
        args.insert(args.end(), {"--out", out.string(), "--quiet"});
        const Finished finished = run(args, out / "log");
        REQUIRE_MESSAGE(finished.exit_code == 0, finished.err);
        nlohmann::json entry;
        entry["report"] = fnv1a64(simulation_numbers(nlohmann::json::parse(slurp(out / "report.json"))).dump());
        for (const std::string& file : run_spec.weight_files) entry["files"][file] = fnv1a64(slurp(out / file));
        const nlohmann::json report = nlohmann::json::parse(slurp(out / "report.json"));
        if (report.contains("accuracy")) entry["accuracy"] = report["accuracy"];  // readable, for a failure's message
        measured[run_spec.name] = entry;
        if (!record) CHECK_MESSAGE(entry == recorded[run_spec.name], "measured " << entry.dump());
    }
    if (record) {
        fs::create_directories(kRecorded.parent_path());
        std::ofstream(kRecorded) << measured.dump(2) << "\n";
        MESSAGE("recorded " << kRecorded);
    }
}
