// The pipelines through an in-memory port: they read every input before opening the output, write what
// each command promises, and refuse a checkpoint of another shape before anything is written.
#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <map>
#include <string>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "run/evaluation.hpp"
#include "run/pipelines.hpp"

using namespace softspike;

namespace {

// A small synthetic data set: two classes of 8x8 images, a bright bar on the left or on the right half.
Dataset bars(std::size_t images, std::uint64_t seed) {
    Dataset d;
    d.rows = 8;
    d.cols = 8;
    d.classes = 2;
    Rng rng = Rng::stream(seed, StreamPurpose::test_fixture, 0);
    for (std::size_t n = 0; n < images; ++n) {
        const std::uint8_t label = static_cast<std::uint8_t>(n % 2);
        for (std::size_t r = 0; r < 8; ++r) {
            for (std::size_t c = 0; c < 8; ++c) {
                const bool on = (label == 0) == (c < 4);
                d.pixels.push_back(on ? static_cast<float>(0.6 + 0.4 * rng.uniform()) : 0.0F);
            }
        }
        d.labels.push_back(label);
    }
    return d;
}

// Records what the pipeline asked of it, in order; serves a config and data from memory.
class MemoryIo final : public PipelineIo {
public:
    Config config;
    std::optional<NetworkModel> weights;
    std::vector<std::string> calls;
    std::map<std::string, NetworkModel> saved;
    std::optional<RunReport> run;
    std::optional<EventsReport> events;

    Config load_config(const std::string&, const std::vector<std::string>& overrides) override {
        calls.push_back("load_config");
        nlohmann::json document = config_to_json(config);
        for (const std::string& o : overrides) apply_override(document, o);
        return parse_config(document, "memory");
    }
    ResumePoint load_resume_point(const std::string&) override { throw CheckpointError("memory: no checkpoint"); }
    std::vector<CostTable> load_cost_tables(const std::vector<std::string>&) override {
        calls.push_back("load_cost_tables");
        return {};
    }
    NetworkModel load_weights(const std::string&) override {
        calls.push_back("load_weights");
        return *weights;
    }
    Dataset load_dataset(const DataConfig&, DataSplit split) override {
        calls.push_back(split == DataSplit::train ? "load_train" : "load_test");
        return split == DataSplit::train ? bars(200, 1) : bars(60, 2);
    }
    void open_output(const std::string&, bool) override { calls.push_back("open_output"); }
    void save_training_state(const Config&, const TrainingState&) override { calls.push_back("save_training_state"); }
    void save_weights(const std::string& file, const NetworkModel& model) override {
        calls.push_back("save_weights " + file);
        saved[file] = model;
    }
    void write_run(const RunReport& report, const NetworkModel&, bool) override {
        calls.push_back("write_run");
        run = report;
    }
    void write_events(const EventsReport& report) override {
        calls.push_back("write_events");
        events = report;
    }
    void write_compare(const CompareReport&) override { calls.push_back("write_compare"); }
    void write_deep(const DeepReport&) override { calls.push_back("write_deep"); }
};

PipelineRequest request(const std::string& command) {
    PipelineRequest r;
    r.command = command;
    r.command_line = "softspike " + command + " (memory)";
    r.config_path = "memory.json";
    r.quiet = true;
    r.overrides = {"population.neurons=6", "evaluation.output_rate_hz=4000", "training.checkpoint_every=100",
                   "threads=1"};
    return r;
}

}  // namespace

TEST_CASE(
    "train through the port: inputs first, then the output, a checkpoint per 100 images, the weights, the report") {
    MemoryIo io;
    run_pipeline(request("train"), io);
    const std::vector<std::string> expected = {
        "load_config", "load_cost_tables",    "load_train",          "load_test",
        "open_output", "save_training_state", "save_training_state", "save_weights weights.ckpt",
        "write_run"};
    CHECK(io.calls == expected);
    REQUIRE(io.run.has_value());
    CHECK(io.run->training->stats.images == 200);
    CHECK(io.run->eval_test.stats.images == 60);
    CHECK(io.run->pixels_per_image == 64);
    CHECK(io.run->info.config.population.neurons == 6);
    CHECK(io.saved.at("weights.ckpt").weights.targets() == 6);
    CHECK(io.saved.at("weights.ckpt").weights.sources() == 64);
    // Two bars are far apart for any learned model: the linear read-out separates them.
    CHECK(io.run->readout.linear_readout_accuracy > 0.9);
}

TEST_CASE("a weights checkpoint of another shape is refused before the output is opened") {
    MemoryIo io;
    io.weights = make_initial_model(64, 5, 0, 1.0, 1);  // 5 neurons where the config has 6
    PipelineRequest r = request("eval");
    r.weights_path = "five.ckpt";
    CHECK_THROWS_WITH_AS(run_pipeline(r, io), doctest::Contains("five.ckpt: the checkpoint has 5 neurons"),
                         CheckpointError);
    CHECK(std::find(io.calls.begin(), io.calls.end(), "open_output") == io.calls.end());

    io.weights = make_initial_model(100, 6, 0, 1.0, 1);  // 100 inputs where the images have 64
    io.calls.clear();
    CHECK_THROWS_WITH_AS(run_pipeline(r, io), doctest::Contains("100 inputs"), CheckpointError);
    CHECK(std::find(io.calls.begin(), io.calls.end(), "open_output") == io.calls.end());
}

TEST_CASE("events through the port: the frozen pass's counts are the test set's, and nothing is saved") {
    MemoryIo io;
    run_pipeline(request("events"), io);
    REQUIRE(io.events.has_value());
    CHECK(io.events->weights == "initial (random)");
    CHECK(io.events->spiking.images == 60);
    CHECK(io.events->spiking.counts.synaptic_events == io.events->spiking.counts.input_spikes * 6);
    CHECK(io.events->spiking.counts.plasticity_updates == 0);
    CHECK(io.saved.empty());
}

TEST_CASE("a budgeted evaluation: K x N synaptic events per image, no output draws, the drive's softmax as rates") {
    MemoryIo io;
    PipelineRequest r = request("train");
    r.overrides.insert(r.overrides.end(),
                       {"evaluation.spikes_per_image=50", "evaluation.signal=drive", "evaluation.trace_tau_ms=1000"});
    run_pipeline(r, io);
    REQUIRE(io.run.has_value());
    const EventCounters& c = io.run->eval_test.stats.counters;
    CHECK(c.input_spikes == 60 * 50);
    CHECK(c.synaptic_events == 60 * 50 * 6);
    CHECK(c.output_spikes == 0);
    // Training keeps the configured Poisson code and its draws.
    CHECK(io.run->training->stats.counters.output_spikes > 0);
    CHECK(io.run->training->stats.counters.input_spikes != 200 * 50);
    CHECK(io.run->readout.linear_readout_accuracy > 0.9);
}

TEST_CASE("the drive read-out's rates do not depend on the thread count") {
    Config config;
    config.population.neurons = 6;
    config.evaluation.spikes_per_image = 40;
    config.evaluation.signal = EvaluationSignal::drive;
    const Dataset data = bars(50, 3);
    const NetworkModel model = make_initial_model(64, 6, ms_to_ticks(1.0), 1.0, 1);
    FrozenPass one;
    FrozenPass two;
    {
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 1);
        one = run_frozen(config, model, data, FrozenSet::test_set, 0, false);
    }
    {
        tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
        two = run_frozen(config, model, data, FrozenSet::test_set, 0, false);
    }
    CHECK(one.rates.counts == two.rates.counts);
    for (std::size_t i = 0; i < data.size(); ++i) {
        double sum = 0.0;
        for (const float v : one.rates.row(i)) sum += v;
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));  // softmax features: one neuron's expected share each
    }
}
