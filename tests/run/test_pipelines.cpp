// The pipelines through an in-memory port: they read every input before opening the output, write what
// each command promises, and refuse a checkpoint of another shape before anything is written.
#include <doctest/doctest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <map>
#include <string>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "io/deep_training_checkpoint.hpp"
#include "run/deep_chip.hpp"
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
    std::optional<DeepResumePoint> deep_resume;  // served to --resume
    std::optional<DeepWeights> deep_weights;     // served to --weights with a deep config
    std::vector<DeepResumePoint> deep_states;    // saved at each stage's end
    std::optional<DeepWeights> saved_deep;
    std::optional<DeepReport> deep;
    std::optional<NirGraph> nir;

    Config load_config(const std::string&, const std::vector<std::string>& overrides) override {
        calls.push_back("load_config");
        nlohmann::json document = config_to_json(config);
        for (const std::string& o : overrides) apply_override(document, o);
        return parse_config(document, "memory");
    }
    ResumePoint load_resume_point(const std::string&) override { throw CheckpointError("memory: no checkpoint"); }
    std::optional<CompareReport> compared;
    std::optional<DeepResumePoint> load_deep_resume_point(const std::string&) override { return deep_resume; }
    DeepWeights load_deep_weights(const std::string&) override {
        calls.push_back("load_deep_weights");
        return *deep_weights;
    }
    void save_deep_training_state(const Config& c, const DeepTrainingState& state) override {
        calls.push_back("save_deep_training_state");
        deep_states.push_back({c, state});
    }
    ChipDescription load_chip(const std::string& path) override {
        calls.push_back("load_chip " + path);
        return {};
    }
    NirGraph load_nir(const std::string& path) override {
        calls.push_back("load_nir " + path);
        if (!nir) throw CheckpointError(path + ": no such file");
        return *nir;
    }
    void save_nir(const std::string& path, const NirGraph& graph) override {
        calls.push_back("save_nir " + path);
        nir = graph;
    }
    void save_deep_weights(const std::string& file, const DeepWeights& w) override {
        calls.push_back("save_deep_weights " + file);
        saved_deep = w;
    }
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
    void write_compare(const CompareReport& report) override {
        calls.push_back("write_compare");
        compared = report;
    }
    void write_deep(const DeepReport& report) override {
        calls.push_back("write_deep");
        deep = report;
    }
    std::optional<RobustnessReport> robust;
    void write_robustness(const RobustnessReport& report) override {
        calls.push_back("write_robustness");
        robust = report;
    }
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

namespace {

// Two small blocks on the 8 x 8 bars: 4 channels of 4 x 4, then 6 of 1 x 1.
PipelineRequest deep_request(const std::string& command) {
    PipelineRequest r = request(command);
    r.overrides.emplace_back(
        R"(network.layers=[{"filters": 4, "kernel": 3, "padding": 1, "temperature": 1, "learning_rate": 0.05,)"
        R"( "anti_hebbian": true, "normalise_update": true, "adaptive_power": 0.5,)"
        R"( "pool": {"kind": "max", "size": 2, "stride": 2}},)"
        R"( {"filters": 6, "kernel": 3, "padding": 1, "temperature": 1, "learning_rate": 0.01,)"
        R"( "pool": {"kind": "average", "size": 4, "stride": 4}}])");
    r.overrides.emplace_back("network.batch=10");
    r.overrides.emplace_back("readout.l2_candidates=[]");
    return r;
}

void check_same_weights(const DeepWeights& a, const DeepWeights& b) {
    REQUIRE(a.blocks.size() == b.blocks.size());
    for (std::size_t i = 0; i < a.blocks.size(); ++i) {
        CAPTURE(i);
        CHECK(a.blocks[i].kernels.weights.weights() == b.blocks[i].kernels.weights.weights());
        CHECK(a.blocks[i].running_mean == b.blocks[i].running_mean);
        CHECK(a.blocks[i].running_variance == b.blocks[i].running_variance);
    }
}

}  // namespace

TEST_CASE(
    "a deep run through the port: a checkpoint after each block's stage, then the weights, and resumed from "
    "either checkpoint it ends bit-identical") {
    MemoryIo io;
    run_pipeline(deep_request("train"), io);
    const std::vector<std::string> expected = {"load_config",
                                               "load_cost_tables",
                                               "load_train",
                                               "load_test",
                                               "open_output",
                                               "save_deep_training_state",
                                               "save_deep_training_state",
                                               "save_deep_weights deep_weights.ckpt",
                                               "write_deep"};
    CHECK(io.calls == expected);
    REQUIRE(io.deep.has_value());
    REQUIRE(io.saved_deep.has_value());
    REQUIRE(io.deep_states.size() == 2);
    CHECK(io.deep_states[0].state.stages_done == 1);
    CHECK(io.deep_states[0].state.result.presentations == 200);
    CHECK(io.deep_states[1].state.stages_done == 2);
    // The first checkpoint holds block 1 learned and block 2 as initialised: it differs from the end.
    CHECK(io.deep_states[0].state.weights.blocks[0].kernels.weights.weights() ==
          io.saved_deep->blocks[0].kernels.weights.weights());
    CHECK(io.deep_states[0].state.weights.blocks[1].kernels.weights.weights() !=
          io.saved_deep->blocks[1].kernels.weights.weights());
    CHECK(io.deep->readout.linear_readout_accuracy > 0.9);

    for (std::size_t at = 0; at < 2; ++at) {
        CAPTURE(at);
        MemoryIo resumed;
        resumed.deep_resume = io.deep_states[at];
        PipelineRequest r = request("train");
        r.config_path.clear();
        r.resume_dir = "the-run";
        r.overrides = {"threads=2"};  // results do not depend on it
        run_pipeline(r, resumed);
        CHECK(std::find(resumed.calls.begin(), resumed.calls.end(), "load_config") == resumed.calls.end());
        CHECK(std::count(resumed.calls.begin(), resumed.calls.end(), "save_deep_training_state") ==
              static_cast<long>(1 - at));
        REQUIRE(resumed.saved_deep.has_value());
        check_same_weights(*resumed.saved_deep, *io.saved_deep);
        REQUIRE(resumed.deep.has_value());
        const DeepTrainingResult& a = resumed.deep->training;
        const DeepTrainingResult& b = io.deep->training;
        CHECK(a.resumed_stages == at + 1);
        CHECK(a.presentations == b.presentations);
        CHECK(a.stage_seconds.size() == 2);
        REQUIRE(a.counters.size() == b.counters.size());
        for (std::size_t i = 0; i < a.counters.size(); ++i) {
            CHECK(a.counters[i].macs == b.counters[i].macs);
            CHECK(a.counters[i].plasticity_updates == b.counters[i].plasticity_updates);
            CHECK(a.counters[i].zero_outputs == b.counters[i].zero_outputs);
        }
        CHECK(a.curve.size() == b.curve.size());
        CHECK(a.curve.back().mean == b.curve.back().mean);
        CHECK(resumed.deep->readout.linear_readout_accuracy == io.deep->readout.linear_readout_accuracy);
        CHECK(resumed.deep->info.config.output.dir == "the-run");
    }
}

TEST_CASE(
    "eval with deep weights: the trained run's features and read-out without the unsupervised phase, and weights "
    "of another shape are refused before the output is opened") {
    MemoryIo trained;
    run_pipeline(deep_request("train"), trained);
    REQUIRE(trained.saved_deep.has_value());

    MemoryIo io;
    io.deep_weights = trained.saved_deep;
    PipelineRequest r = deep_request("eval");
    r.weights_path = "deep.ckpt";
    run_pipeline(r, io);
    REQUIRE(io.deep.has_value());
    CHECK(io.deep->weights_from == "deep.ckpt");
    CHECK(io.deep->training.images == 0);
    CHECK(io.deep->hardware.size() == 2);  // the two feature passes
    CHECK(io.deep->readout.linear_readout_accuracy == trained.deep->readout.linear_readout_accuracy);
    CHECK(io.deep->kernel_norms == trained.deep->kernel_norms);
    CHECK_FALSE(io.saved_deep.has_value());

    DeepWeights one_block = *trained.saved_deep;
    one_block.blocks.pop_back();
    io.deep_weights = one_block;
    io.calls.clear();
    CHECK_THROWS_WITH_AS(run_pipeline(r, io), doctest::Contains("deep.ckpt: 1 blocks, the network has 2"),
                         CheckpointError);
    CHECK(std::find(io.calls.begin(), io.calls.end(), "open_output") == io.calls.end());

    io.deep_weights = trained.saved_deep;
    r.overrides.emplace_back("network.layers[1].filters=7");
    io.calls.clear();
    CHECK_THROWS_WITH_AS(run_pipeline(r, io),
                         doctest::Contains("deep.ckpt: block 2: 6 kernels of 36 weights, the "
                                           "network has 7 of 36"),
                         CheckpointError);
    CHECK(std::find(io.calls.begin(), io.calls.end(), "open_output") == io.calls.end());
}

TEST_CASE(
    "eval in the spiking form: the rate-trained kernels' spiking features feed the read-out, counted per "
    "block, and what the spiking form cannot learn is refused before the output is opened") {
    MemoryIo trained;
    run_pipeline(deep_request("train"), trained);
    REQUIRE(trained.saved_deep.has_value());
    MemoryIo io;
    io.deep_weights = trained.saved_deep;
    PipelineRequest r = deep_request("eval");
    r.weights_path = "deep.ckpt";
    r.overrides.emplace_back("network.form=spiking");
    r.overrides.emplace_back("network.layers[0].spikes_per_unit=4");
    r.overrides.emplace_back("network.layers[1].spikes_per_unit=4");
    r.overrides.emplace_back("network.input_spikes_per_pixel=4");
    run_pipeline(r, io);
    REQUIRE(io.deep.has_value());
    CHECK(io.deep->form == DeepForm::spiking);
    CHECK(io.deep->spike_values.size() == 3);
    REQUIRE(io.deep->test_spiking_counters.size() == 2);
    CHECK(io.deep->test_spiking_counters[1].events.input_spikes ==
          io.deep->test_spiking_counters[0].events.output_spikes);
    REQUIRE(io.deep->hardware.size() == 2);
    CHECK(io.deep->hardware[1].first == "evaluation, test set (spiking)");
    CHECK(io.deep->hardware[1].second.total.counts.synaptic_events ==
          io.deep->test_spiking_counters[0].events.synaptic_events +
              io.deep->test_spiking_counters[1].events.synaptic_events);
    // Two bars far apart: four spikes per unit carry them.
    CHECK(io.deep->readout.linear_readout_accuracy > 0.9);

    MemoryIo refused;
    PipelineRequest t = deep_request("train");
    t.overrides.emplace_back("network.form=spiking");
    t.overrides.emplace_back("network.training=all_at_once");
    CHECK_THROWS_WITH_AS(run_pipeline(t, refused), doctest::Contains("network.training: the spiking form learns layer"),
                         ConfigError);
    CHECK(std::find(refused.calls.begin(), refused.calls.end(), "open_output") == refused.calls.end());
}

TEST_CASE(
    "train in the spiking form: the kernels learn per soft-WTA spike, the weights file is written, the "
    "report carries the learning's counts, and the spike-trained kernels run in the rate form") {
    MemoryIo io;
    PipelineRequest t = deep_request("train");
    t.overrides.emplace_back("network.form=spiking");
    t.overrides.emplace_back("network.input_spikes_per_pixel=4");
    t.overrides.emplace_back("network.layers[0].spikes_per_unit=4");
    t.overrides.emplace_back("network.layers[1].spikes_per_unit=4");
    run_pipeline(t, io);
    const std::vector<std::string> expected = {"load_config",
                                               "load_cost_tables",
                                               "load_train",
                                               "load_test",
                                               "open_output",
                                               "save_deep_training_state",
                                               "save_deep_training_state",
                                               "save_deep_weights deep_weights.ckpt",
                                               "write_deep"};
    CHECK(io.calls == expected);
    REQUIRE(io.deep.has_value());
    REQUIRE(io.deep->spiking_training.has_value());
    const DeepSpikingTrainingResult& s = *io.deep->spiking_training;
    CHECK(io.deep->training.images == 200);
    CHECK(io.deep->training.presentations == 400);
    REQUIRE(io.deep->hardware.size() == 3);
    CHECK(io.deep->hardware[0].first == "unsupervised training (spiking)");
    // The soft-WTA spikes count as output spikes, the accumulates and weight writes as plasticity updates.
    const HardwareFigures& block1 = io.deep->hardware[0].second.blocks[0];
    CHECK(block1.counts.plasticity_updates == s.plasticity[0].update_accumulates + s.plasticity[0].weight_updates);
    CHECK(block1.counts.output_spikes == s.forward[0].events.output_spikes + s.plasticity[0].learning_spikes);
    CHECK(io.deep->readout.linear_readout_accuracy > 0.9);

    // The same weights in the rate form.
    MemoryIo rate;
    rate.deep_weights = io.saved_deep;
    PipelineRequest e = deep_request("eval");
    e.weights_path = "deep.ckpt";
    run_pipeline(e, rate);
    REQUIRE(rate.deep.has_value());
    CHECK(rate.deep->form == DeepForm::rate);
    CHECK(rate.deep->readout.linear_readout_accuracy > 0.9);
}

TEST_CASE(
    "compare on a deep network: both forms learn, each set of kernels runs in both forms, and each map's "
    "budget is swept with the per-block events it costs") {
    MemoryIo io;
    PipelineRequest r = deep_request("compare");
    r.overrides.emplace_back("network.input_spikes_per_pixel=2");
    r.overrides.emplace_back("network.layers[0].spikes_per_unit=2");
    r.overrides.emplace_back("compare.deep_budgets=[0.5, 4]");
    run_pipeline(r, io);
    const std::vector<std::string> expected = {"load_config",
                                               "load_cost_tables",
                                               "load_train",
                                               "load_test",
                                               "open_output",
                                               "save_deep_weights deep_weights_spiking.ckpt",
                                               "save_deep_weights deep_weights_rate.ckpt",
                                               "write_compare"};
    CHECK(io.calls == expected);
    REQUIRE(io.compared.has_value());
    const CompareResult& c = io.compared->result;
    REQUIRE(c.training.size() == 2);
    CHECK(c.training[0].form == "spiking");
    CHECK(c.training[1].form == "rate");
    // The spiking form's plasticity work per image is its patches per spike, far below the rate form's MACs.
    CHECK(c.training[0].plasticity_macs < c.training[1].plasticity_macs);
    REQUIRE(c.points.size() == 4);
    const std::vector<std::pair<std::string, std::string>> order = {
        {"spiking", "spike-trained"}, {"rate", "rate-trained"}, {"spiking", "rate-trained"}, {"rate", "spike-trained"}};
    for (std::size_t i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(c.points[i].form == order[i].first);
        CHECK(c.points[i].weights == order[i].second);
        CHECK(c.points[i].block_ops.size() == 2);
        CHECK(c.points[i].linear_accuracy > 0.9);  // two bars far apart
    }
    // The spiking points' MACs are the rate form's of the same blocks: the figure their events are set against.
    CHECK(c.points[0].macs == c.points[1].macs);
    // Two maps (the image's, block 1's) x two budgets, on the spike-trained kernels.
    REQUIRE(c.sweep.size() == 4);
    CHECK(c.sweep[0].sweep == "input_spikes_per_pixel");
    CHECK(c.sweep[2].sweep == "layers[0].spikes_per_unit");
    // More input spikes: more events in block 1 only; more spikes out of block 1: more in block 2 only.
    CHECK(c.sweep[1].block_ops[0] > 7.0 * c.sweep[0].block_ops[0]);
    CHECK(c.sweep[1].input_spikes > c.points[0].input_spikes);
    CHECK(c.sweep[3].block_ops[1] > 7.0 * c.sweep[2].block_ops[1]);
    CHECK(c.sweep[3].block_ops[0] == doctest::Approx(c.points[0].block_ops[0]).epsilon(1e-12));
}

TEST_CASE(
    "a deep network's chip keys: the kernel keys act on frozen passes and on learning, compare refuses them and "
    "every command the timed-code budgets, naming the key before the output is opened, input noise reaches every "
    "image, and events may size memory at other bits") {
    for (const char* setting : {"chip.weight_noise=0.1", "chip.dead_synapses=0.2", "chip.weight_bits=8",
                                "chip.spike_budget=100", "chip.plasticity_window_ms=5"}) {
        const bool kernel_key = std::string(setting).find("budget") == std::string::npos &&
                                std::string(setting).find("window") == std::string::npos;
        for (const char* command : {"train", "compare"}) {
            if (kernel_key && std::string(command) == "train") continue;  // learning on the chip: its own test
            CAPTURE(setting);
            CAPTURE(command);
            MemoryIo io;
            PipelineRequest r = deep_request(command);
            r.overrides.emplace_back(setting);
            const std::string key = std::string(setting).substr(0, std::string(setting).find('='));
            CHECK_THROWS_WITH_AS(run_pipeline(r, io), doctest::Contains((key + ": ").c_str()), ConfigError);
            CHECK(std::find(io.calls.begin(), io.calls.end(), "open_output") == io.calls.end());
        }
    }
    MemoryIo trained;
    run_pipeline(deep_request("train"), trained);
    REQUIRE(trained.saved_deep.has_value());
    const auto eval_with = [&](const std::vector<std::string>& settings) {
        MemoryIo io;
        io.deep_weights = trained.saved_deep;
        PipelineRequest r = deep_request("eval");
        r.weights_path = "deep.ckpt";
        for (const std::string& s : settings) r.overrides.push_back(s);
        run_pipeline(r, io);
        REQUIRE(io.deep.has_value());
        return *io.deep;
    };
    // Every kernel entry dead: every block's kernels are zero in the frozen passes, and the read-out sees
    // constant features.
    const DeepReport dead = eval_with({"chip.dead_synapses=1"});
    for (const auto& norms : dead.kernel_norms) {
        for (const float n : norms) CHECK(n == 0.0F);
    }
    CHECK(dead.readout.linear_readout_accuracy < trained.deep->readout.linear_readout_accuracy - 0.3);
    // Two bits: every entry is 0 or +-(the block's largest |w|), so each kernel's norm is that times the square
    // root of a whole number.
    const DeepReport two_bits = eval_with({"chip.weight_bits=2", "chip.stochastic_rounding=false"});
    CHECK(two_bits.kernel_norms != trained.deep->kernel_norms);
    for (std::size_t b = 0; b < two_bits.kernels.size(); ++b) {
        const std::vector<float>& w = two_bits.kernels[b].weights.weights();
        const float largest =
            std::abs(*std::max_element(w.begin(), w.end(), [](float x, float y) { return std::abs(x) < std::abs(y); }));
        for (const float v : w) CHECK((v == 0.0F || std::abs(v) == largest));
    }
    // Pixel noise changes what the network learns from and reads, the same way on every run.
    PipelineRequest noisy = deep_request("train");
    noisy.overrides.emplace_back("chip.input_noise=0.3");
    MemoryIo first;
    MemoryIo second;
    run_pipeline(noisy, first);
    run_pipeline(noisy, second);
    REQUIRE(first.saved_deep.has_value());
    CHECK(first.saved_deep->blocks[0].kernels.weights.weights() !=
          trained.saved_deep->blocks[0].kernels.weights.weights());
    check_same_weights(*first.saved_deep, *second.saved_deep);

    MemoryIo io;
    PipelineRequest e = deep_request("events");
    e.overrides.emplace_back("chip.weight_bits=8");
    run_pipeline(e, io);
    REQUIRE(io.deep.has_value());
    // The kernels' footprint at one byte per weight: block 1 holds 9 x 4 weights.
    CHECK(io.deep->hardware.back().second.blocks[0].footprint_bytes == 9 * 4 + 2 * 4 * 1);
}

TEST_CASE(
    "a spiking-form deep run resumed from either stage's checkpoint, through the file format, ends "
    "bit-identical: kernels, statistics, spiking counters and read-out") {
    PipelineRequest t = deep_request("train");
    t.overrides.emplace_back("network.form=spiking");
    t.overrides.emplace_back("network.input_spikes_per_pixel=2");
    MemoryIo io;
    run_pipeline(t, io);
    REQUIRE(io.deep_states.size() == 2);
    REQUIRE(io.saved_deep.has_value());
    REQUIRE(io.deep->spiking_training.has_value());
    const DeepSpikingTrainingResult& full = *io.deep->spiking_training;
    for (std::size_t at = 0; at < 2; ++at) {
        CAPTURE(at);
        // Through the codec, as a killed run would find it on disk.
        const DeepResumePoint& written = io.deep_states[at];
        REQUIRE(written.state.spiking.has_value());
        MemoryIo resumed;
        resumed.deep_resume = decode_deep_training_checkpoint(
            encode_deep_training_checkpoint(written.config, written.state), "deep_state.ckpt");
        PipelineRequest r = request("train");
        r.config_path.clear();
        r.resume_dir = "the-run";
        r.overrides = {"threads=1"};  // results do not depend on it
        run_pipeline(r, resumed);
        REQUIRE(resumed.saved_deep.has_value());
        check_same_weights(*resumed.saved_deep, *io.saved_deep);
        REQUIRE(resumed.deep->spiking_training.has_value());
        const DeepSpikingTrainingResult& part = *resumed.deep->spiking_training;
        CHECK(part.resumed_stages == at + 1);
        CHECK(resumed.deep->training.resumed_stages == at + 1);
        CHECK(part.presentations == full.presentations);
        CHECK(part.quanta == full.quanta);
        for (std::size_t b = 0; b < 2; ++b) {
            CHECK(part.forward[b].events == full.forward[b].events);
            CHECK(part.plasticity[b] == full.plasticity[b]);
        }
        CHECK(part.curve.size() == full.curve.size());
        CHECK(resumed.deep->readout.linear_readout_accuracy == io.deep->readout.linear_readout_accuracy);
    }
    // Every truncation of a spiking-form file is refused, naming the file.
    const std::string bytes = encode_deep_training_checkpoint(io.deep_states[1].config, io.deep_states[1].state);
    for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
        CAPTURE(cut);
        CHECK_THROWS_WITH_AS(decode_deep_training_checkpoint(bytes.substr(0, cut), "st"), doctest::Contains("st: "),
                             CheckpointError);
    }
    // A rate-form file under a spiking config (or the other way round) is a contradiction, named.
    DeepTrainingState rate_state = io.deep_states[0].state;
    rate_state.spiking.reset();
    CHECK_THROWS_WITH_AS(
        decode_deep_training_checkpoint(encode_deep_training_checkpoint(io.deep_states[0].config, rate_state), "st"),
        doctest::Contains("st: the stored config's network.form is spiking, but the file has no "
                          "spiking-form record"),
        CheckpointError);
}

namespace {

// Trains through the port, then serves the trained weights to a robustness request with small sweeps.
struct RobustnessRun {
    MemoryIo io;
    PipelineRequest r = request("robustness");

    RobustnessRun() {
        run_pipeline(request("train"), io);
        io.weights = io.saved.at("weights.ckpt");
        io.calls.clear();
        r.weights_path = "trained.ckpt";
        r.overrides.insert(
            r.overrides.end(),
            {"evaluation.spikes_per_image=50", "robustness.noise_sigmas=[0, 0.3]", "robustness.epsilons=[0, 0.2]",
             "robustness.pgd_steps=3", "robustness.baseline_epochs=8", "robustness.baseline_learning_rate=0.01",
             "robustness.baseline_batch=16", "robustness.grid_images=3", "robustness.training_sizes=[20, 200]"});
    }
};

const RobustnessPoint& point(const RobustnessResult& r, const std::string& perturbation, double strength) {
    for (const RobustnessPoint& p : r.points) {
        if (p.perturbation == perturbation && p.strength == strength) return p;
    }
    FAIL("no point " << perturbation << " " << strength);
    return r.points.front();
}

// The same numbers in two robustness results: the baseline's training, every point, the grid's images.
void check_same_robustness(const RobustnessResult& a, const RobustnessResult& b) {
    CHECK(a.baseline_epoch_loss == b.baseline_epoch_loss);
    REQUIRE(a.points.size() == b.points.size());
    for (std::size_t i = 0; i < a.points.size(); ++i) {
        CAPTURE(i);
        CHECK(a.points[i].softhebb_rate == b.points[i].softhebb_rate);
        CHECK(a.points[i].softhebb_spiking == b.points[i].softhebb_spiking);
        CHECK(a.points[i].baseline == b.points[i].baseline);
        CHECK(a.points[i].softhebb_perturbation_l2 == b.points[i].softhebb_perturbation_l2);
        CHECK(a.points[i].baseline_perturbation_l2 == b.points[i].baseline_perturbation_l2);
    }
    CHECK(a.grid.softhebb_images == b.grid.softhebb_images);
    CHECK(a.grid.baseline_images == b.grid.baseline_images);
}

}  // namespace

TEST_CASE("robustness through the port: every model scored clean, under noise and under both attacks") {
    RobustnessRun run;
    run_pipeline(run.r, run.io);
    const std::vector<std::string> expected = {"load_config", "load_cost_tables", "load_weights",    "load_train",
                                               "load_test",   "open_output",      "write_robustness"};
    CHECK(run.io.calls == expected);
    REQUIRE(run.io.robust.has_value());
    const RobustnessResult& r = run.io.robust->result;
    CHECK(run.io.robust->weights_path == "trained.ckpt");
    CHECK(r.test_images == 60);
    REQUIRE(r.points.size() == 6);  // 2 noise levels, 2 attacks x 2 radii
    // The baseline's passes: the first best of 8 on the 20 images held out, then that many on all 200.
    REQUIRE(r.baseline_validation_accuracy.size() == 8);
    const auto best = std::max_element(r.baseline_validation_accuracy.begin(), r.baseline_validation_accuracy.end());
    CHECK(r.baseline_epochs == static_cast<std::size_t>(best - r.baseline_validation_accuracy.begin()) + 1);
    CHECK(r.baseline_epoch_loss.size() == r.baseline_epochs);
    CHECK(r.baseline_train_accuracy > 0.9);
    CHECK(r.macs_per_image == 64 * 6);
    CHECK(r.spiking_events_per_image == doctest::Approx(50.0 * 6));  // the fixed-count code: 50 spikes x 6 neurons
    const RobustnessPoint& clean = point(r, "noise", 0.0);
    // The bars are two far-apart classes: every model separates them.
    CHECK(clean.softhebb_rate > 0.9);
    CHECK(clean.softhebb_spiking > 0.9);
    CHECK(clean.baseline > 0.9);
    CHECK(clean.softhebb_on_baseline_images == -1.0);  // no transfer for noise
    for (const char* attack : {"fgsm", "pgd"}) {
        // Epsilon 0 leaves the images alone: the same accuracies as without noise.
        const RobustnessPoint& none = point(r, attack, 0.0);
        CHECK(none.softhebb_rate == clean.softhebb_rate);
        CHECK(none.softhebb_spiking == clean.softhebb_spiking);
        CHECK(none.baseline == clean.baseline);
        CHECK(none.softhebb_perturbation_l2 == 0.0);
        const RobustnessPoint& hit = point(r, attack, 0.2);
        CHECK(hit.softhebb_rate <= clean.softhebb_rate);
        CHECK(hit.baseline <= clean.baseline);
        CHECK(hit.softhebb_perturbation_l2 > 0.0);
        CHECK(hit.softhebb_perturbation_l2 <= 0.2 * 8.0 + 1e-6);  // at most epsilon in each of 64 pixels
        CHECK(hit.softhebb_on_baseline_images >= 0.0);
    }
    CHECK(point(r, "noise", 0.3).softhebb_perturbation_l2 > 0.0);
    CHECK(r.grid.attack == "pgd");
    CHECK(r.grid.epsilon == 0.2);
    CHECK(r.grid.labels.size() == 3);
    CHECK(r.grid.clean.size() == 3 * 64);
    CHECK(r.grid.softhebb_images.size() == 3 * 64);
    CHECK(r.grid.baseline_predictions.size() == 3);
    // Learning from the first 20 and from all 200 training images: with all of them, every model separates the
    // bars, as the trained weights did.
    REQUIRE(r.sample_efficiency.size() == 2);
    CHECK(r.sample_efficiency[0].images == 20);
    const SampleEfficiencyPoint& all = r.sample_efficiency[1];
    CHECK(all.images == 200);
    CHECK(all.softhebb_spiking > 0.9);
    CHECK(all.softhebb_rate > 0.9);
    CHECK(all.baseline_more_passes > 0.9);
    CHECK(r.baseline_same_passes_epochs == 1);
    CHECK(all.baseline_more_epochs >= 1);
    CHECK(all.baseline_more_epochs <= 8);
}

TEST_CASE("robustness without a validation split trains the baseline for every pass it is given") {
    RobustnessRun run;
    run.r.overrides.insert(run.r.overrides.end(),
                           {"robustness.baseline_validation_fraction=0", "robustness.training_sizes=[]"});
    run_pipeline(run.r, run.io);
    REQUIRE(run.io.robust.has_value());
    const RobustnessResult& r = run.io.robust->result;
    CHECK(r.baseline_epochs == 8);
    CHECK(r.baseline_validation_accuracy.empty());
    REQUIRE(r.baseline_epoch_loss.size() == 8);
    CHECK(r.baseline_epoch_loss.back() < r.baseline_epoch_loss.front());
    CHECK(r.sample_efficiency.empty());
}

TEST_CASE("robustness gives the same numbers for one thread and for two") {
    RobustnessRun one;
    run_pipeline(one.r, one.io);
    RobustnessRun two;
    two.r.overrides.push_back("threads=2");
    run_pipeline(two.r, two.io);
    REQUIRE(one.io.robust.has_value());
    REQUIRE(two.io.robust.has_value());
    check_same_robustness(one.io.robust->result, two.io.robust->result);
}

TEST_CASE("robustness refuses what it cannot do before the output is opened, naming the key") {
    RobustnessRun run;
    const auto refused = [&](const std::vector<std::string>& overrides, const std::string& message) {
        PipelineRequest r = run.r;
        r.overrides.insert(r.overrides.end(), overrides.begin(), overrides.end());
        run.io.calls.clear();
        CHECK_THROWS_WITH(run_pipeline(r, run.io), doctest::Contains(message.c_str()));
        CHECK(std::find(run.io.calls.begin(), run.io.calls.end(), "open_output") == run.io.calls.end());
    };
    refused({"robustness.attacks=[\"fgsm\", \"cw\"]"}, "robustness.attacks[1]");
    refused({"robustness.attacks=[\"pgd\", \"pgd\"]"}, "each name once");
    refused({"robustness.noise_sigmas=[0.1, -0.2]"}, "robustness.noise_sigmas[1]");
    refused({"robustness.epsilons=[-0.1]"}, "robustness.epsilons[0]");
    refused({"robustness.pgd_steps=0"}, "robustness.pgd_steps");
    refused({"chip.weight_bits=8"}, "chip.weight_bits");
    refused({"chip.input_noise=0.1"}, "chip.input_noise");
    refused({"rate.hidden_layers=[10]"}, "rate.hidden_layers");
    refused({"robustness.training_sizes=[20, 201]"}, "robustness.training_sizes[1]': expected at most the 200");
    PipelineRequest no_weights = run.r;
    no_weights.weights_path.clear();
    CHECK_THROWS_AS(run_pipeline(no_weights, run.io), UsageError);
    run.io.weights = make_initial_model(64, 5, 0, 1.0, 1);  // 5 neurons where the config has 6
    run.io.calls.clear();
    CHECK_THROWS_AS(run_pipeline(run.r, run.io), CheckpointError);
    CHECK(std::find(run.io.calls.begin(), run.io.calls.end(), "open_output") == run.io.calls.end());
}

namespace {

// The deep network trained through the port on the bars, served to a deep robustness request with small sweeps.
struct DeepRobustnessRun {
    MemoryIo io;
    PipelineRequest r = deep_request("robustness");

    DeepRobustnessRun() {
        run_pipeline(deep_request("train"), io);
        io.deep_weights = io.saved_deep;
        io.calls.clear();
        r.weights_path = "deep_weights.ckpt";
        r.overrides.insert(r.overrides.end(), {"robustness.noise_sigmas=[0, 0.3]", "robustness.epsilons=[0, 0.2]",
                                               "robustness.pgd_steps=3", "robustness.baseline_epochs=6",
                                               "robustness.baseline_learning_rate=0.01", "robustness.baseline_batch=16",
                                               "robustness.grid_images=3", "robustness.training_sizes=[200]"});
    }
};

}  // namespace

TEST_CASE("robustness of a deep network: both forms and a backpropagation baseline of the same blocks") {
    DeepRobustnessRun run;
    run_pipeline(run.r, run.io);
    const std::vector<std::string> expected = {"load_config", "load_cost_tables", "load_deep_weights", "load_train",
                                               "load_test",   "open_output",      "write_robustness"};
    CHECK(run.io.calls == expected);
    REQUIRE(run.io.robust.has_value());
    const RobustnessResult& r = run.io.robust->result;
    CHECK(r.model == "deep, rate form: 2 blocks of 4, 6 filters (6 features)");
    // Per image: 64 positions x 9 x 4 channels, then 16 positions x 36 x 6.
    CHECK(r.macs_per_image == 64 * 9 * 4 + 16 * 36 * 6);
    REQUIRE(r.points.size() == 6);
    REQUIRE(r.baseline_validation_accuracy.size() == 6);
    CHECK(r.baseline_train_accuracy > 0.9);
    const RobustnessPoint& clean = point(r, "noise", 0.0);
    CHECK(clean.softhebb_rate > 0.9);
    CHECK(clean.baseline > 0.9);
    // The spiking twin of the same blocks: close to its rate form on the clean images, and shown the images
    // attacked through the rate form.
    CHECK(clean.softhebb_spiking > 0.8);
    CHECK(r.spiking_events_per_image > 0.0);
    for (const char* attack : {"fgsm", "pgd"}) {
        CHECK(point(r, attack, 0.0).softhebb_spiking == clean.softhebb_spiking);
        CHECK(point(r, attack, 0.2).softhebb_spiking >= 0.0);
        CHECK(point(r, attack, 0.0).softhebb_rate == clean.softhebb_rate);
        CHECK(point(r, attack, 0.0).baseline == clean.baseline);
        const RobustnessPoint& hit = point(r, attack, 0.2);
        CHECK(hit.softhebb_rate <= clean.softhebb_rate);
        CHECK(hit.baseline <= clean.baseline);
        CHECK(hit.softhebb_perturbation_l2 > 0.0);
        CHECK(hit.softhebb_perturbation_l2 <= 0.2 * 8.0 + 1e-6);
    }
    CHECK(r.grid.softhebb_images.size() == 3 * 64);
    REQUIRE(r.sample_efficiency.size() == 1);
    CHECK(r.sample_efficiency[0].softhebb_spiking == -1.0);
    CHECK(r.sample_efficiency[0].softhebb_rate > 0.9);
    CHECK(r.sample_efficiency[0].baseline_more_passes > 0.9);
    CHECK(r.baseline_same_passes_epochs == 1);  // network.epochs
}

TEST_CASE("deep robustness gives the same numbers for one thread and for two, and refuses what it cannot do") {
    DeepRobustnessRun one;
    one.r.overrides.push_back("robustness.training_sizes=[]");
    run_pipeline(one.r, one.io);
    DeepRobustnessRun two;
    two.r.overrides.insert(two.r.overrides.end(), {"robustness.training_sizes=[]", "threads=2"});
    run_pipeline(two.r, two.io);
    REQUIRE(one.io.robust.has_value());
    REQUIRE(two.io.robust.has_value());
    check_same_robustness(one.io.robust->result, two.io.robust->result);
    const auto refused = [&](const std::vector<std::string>& overrides, const std::string& message) {
        PipelineRequest r = one.r;
        r.overrides.insert(r.overrides.end(), overrides.begin(), overrides.end());
        one.io.calls.clear();
        CHECK_THROWS_WITH(run_pipeline(r, one.io), doctest::Contains(message.c_str()));
        CHECK(std::find(one.io.calls.begin(), one.io.calls.end(), "open_output") == one.io.calls.end());
    };
    refused({"chip.weight_bits=8"}, "chip.weight_bits");
    refused(
        {R"(network.layers=[{"filters": 4, "kernel": 3, "padding": 1, "pool": {"kind": "max", "size": 2, "stride": 2}},)"
         R"( {"filters": 6, "kernel": 3, "padding": 1, "prune_fraction": 0.5,)"
         R"( "pool": {"kind": "average", "size": 4, "stride": 4}}])"},
        "network.layers[1].prune_fraction': expected 0");
    // A weights file of other blocks: refused, naming the block.
    DeepWeights other = *one.io.deep_weights;
    other.blocks.pop_back();
    one.io.deep_weights = other;
    refused({}, "deep_weights.ckpt");
}

TEST_CASE(
    "a deep network learns on the chip in either form: after every step each block's kernels are on a "
    "power-of-two grid of 2^(bits-1) - 1 steps that holds its largest |w|, its dead cells are zero and never "
    "written, and the run is the same at 1 and 2 threads") {
    for (const char* form : {"rate", "spiking"}) {
        CAPTURE(form);
        const auto train_with = [&](const std::vector<std::string>& settings) {
            MemoryIo io;
            PipelineRequest r = deep_request("train");
            r.overrides.push_back(std::string("network.form=") + form);
            for (const std::string& s : settings) r.overrides.push_back(s);
            run_pipeline(r, io);
            REQUIRE(io.saved_deep.has_value());
            REQUIRE(io.deep.has_value());
            return io;
        };
        const MemoryIo ideal = train_with({});
        const MemoryIo chip = train_with({"chip.weight_bits=4", "chip.dead_synapses=0.25"});
        const MemoryIo two_threads = train_with({"chip.weight_bits=4", "chip.dead_synapses=0.25", "threads=2"});
        check_same_weights(*chip.saved_deep, *two_threads.saved_deep);
        // The dead cells chip_kernels makes dead for the same seed and block.
        ChipParams dead;
        dead.dead_synapses = 0.25;
        const DeepWeights frozen_dead = chip_kernels(*ideal.saved_deep, dead, 1);
        for (std::size_t b = 0; b < chip.saved_deep->blocks.size(); ++b) {
            CAPTURE(b);
            const std::vector<float>& w = chip.saved_deep->blocks[b].kernels.weights.weights();
            const std::vector<float>& zero = frozen_dead.blocks[b].kernels.weights.weights();
            float largest = 0.0F;
            for (const float v : w) largest = std::max(largest, std::abs(v));
            REQUIRE(largest > 0.0F);
            // The smallest power of two whose 7 steps hold the largest |w|.
            const double step = std::ldexp(1.0, static_cast<int>(std::ceil(std::log2(largest / 7.0))));
            std::size_t off_grid = 0;
            std::size_t levels_used = 0;
            std::vector<bool> used(15, false);
            for (std::size_t i = 0; i < w.size(); ++i) {
                const double q = w[i] / step;
                off_grid += (q != std::round(q) || std::abs(q) > 7.0) ? 1 : 0;
                if (zero[i] == 0.0F) CHECK(w[i] == 0.0F);
                if (std::abs(q) <= 7.0) used[static_cast<std::size_t>(std::lround(q) + 7)] = true;
            }
            for (const bool u : used) levels_used += u ? 1 : 0;
            CHECK(off_grid == 0);
            CHECK(levels_used > 4);  // the kernels use the grid, not two of its points
            CHECK(w != ideal.saved_deep->blocks[b].kernels.weights.weights());
        }
        // Learning still works at 4 bits: the kernels are not the initial ones on the grid.
        const MemoryIo frozen = train_with({"chip.weight_bits=4", "chip.dead_synapses=0.25",
                                            R"(network.layers[0].learning_rate=0)", R"(network.layers[1].learning_rate=0)"});
        CHECK(frozen.saved_deep->blocks[0].kernels.weights.weights() !=
              chip.saved_deep->blocks[0].kernels.weights.weights());
        if (std::string(form) == "spiking") {
            // A dead cell is not written: per batch, the writes fall by the dead cells of the block.
            const auto& a = ideal.deep->spiking_training->plasticity;
            const auto& c = chip.deep->spiking_training->plasticity;
            const std::size_t b1 = chip.saved_deep->blocks[0].kernels.weights.weights().size();
            std::size_t dead_cells = 0;
            for (const float v : frozen_dead.blocks[0].kernels.weights.weights()) dead_cells += v == 0.0F ? 1 : 0;
            REQUIRE(dead_cells > 0);
            CHECK(c[0].batches == a[0].batches);
            CHECK(c[0].weight_updates == a[0].batches * (b1 - dead_cells));
        }
    }
}
