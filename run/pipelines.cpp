#include "run/pipelines.hpp"
#include "run/nir_lowering.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/wall_clock.hpp"
#include "neurons/encoder_params.hpp"
#include "run/deep_chip.hpp"
#include "run/deep_compare.hpp"
#include "run/deep_spiking.hpp"
#include "run/deep_spiking_training.hpp"
#include "run/deep_training.hpp"
#include "run/evaluation.hpp"
#include "run/lowering.hpp"
#include "run/network_setup.hpp"
#include "run/rate_form_figures.hpp"
#include "run/robustness.hpp"
#include "run/training.hpp"

namespace softspike {

namespace {

// The config of a resumed run: the stored one, writing to the resumed directory, with --threads applied
// (the only override allowed, since results do not depend on it).
Config resumed_config(const Config& stored, const PipelineRequest& request, const char* file) {
    nlohmann::json document = config_to_json(stored);
    document["output"]["dir"] = request.resume_dir;
    for (const std::string& assignment : request.overrides) apply_override(document, assignment);
    return parse_config(document, request.resume_dir + "/" + file + " (stored config)");
}

// A checkpoint whose data no longer matches (a different data set on disk) cannot be resumed.
void check_resume_fits(const ResumePoint& point, const std::string& dir, std::size_t train_images, std::size_t inputs) {
    const std::string name = dir + "/training_state.ckpt";
    const std::uint64_t total = static_cast<std::uint64_t>(train_images) * point.config.training.epochs;
    if (point.state.images_done > total) {
        throw CheckpointError(name + ": " + std::to_string(point.state.images_done) +
                              " images done, but the run has only " + std::to_string(total) + " to do");
    }
    if (point.state.model.weights.sources() != inputs) {
        throw CheckpointError(name + ": the checkpoint has " + std::to_string(point.state.model.weights.sources()) +
                              " inputs, the data and encoder need " + std::to_string(inputs));
    }
}

// This machine's physical memory in bytes; 0 where the system does not say.
std::uint64_t physical_memory() {
    const auto pages = ::sysconf(_SC_PHYS_PAGES);
    const auto page_size = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
}

// An absurd size is a config error before anything that size is allocated, not a crash or a swap storm.
void check_memory(const Config& config, std::size_t inputs, std::size_t train_images, std::size_t test_images) {
    const std::uint64_t need = estimated_run_bytes(config, inputs, train_images, test_images);
    const std::uint64_t have = physical_memory();
    if (have != 0 && need > have / 10 * 9) {
        auto gib = [](std::uint64_t bytes) { return std::to_string(static_cast<double>(bytes) / (1ULL << 30U)); };
        throw ConfigError("population.neurons = " + std::to_string(config.population.neurons) + " with " +
                          std::to_string(train_images) + " training and " + std::to_string(test_images) +
                          " test images and " + std::to_string(inputs) + " inputs needs about " + gib(need) +
                          " GiB (weights and rate vectors); expected at most 90% of this machine's " + gib(have) +
                          " GiB: lower population.neurons, data.train_images or data.test_images");
    }
}

// The deep run keeps every image's features of both sets in memory for the read-out.
void check_deep_memory(const DeepRateNetwork& network, std::size_t train_images, std::size_t test_images) {
    const std::uint64_t need =
        static_cast<std::uint64_t>(train_images + test_images) * network.feature_count() * sizeof(float) * 2;
    const std::uint64_t have = physical_memory();
    if (have != 0 && need > have / 10 * 9) {
        throw ConfigError("network.layers: " + std::to_string(network.feature_count()) + " features for " +
                          std::to_string(train_images + test_images) + " images need about " +
                          std::to_string(need >> 30U) + " GiB with the read-out's copy; expected at most 90% of " +
                          std::to_string(have >> 30U) + " GiB: fewer channels or more pooling in the last layer");
    }
}

// What every pipeline starts from, every input read and checked.
struct Inputs {
    RunInfo info;
    std::optional<ResumePoint> resume;
    std::optional<DeepResumePoint> deep_resume;
    std::optional<NetworkModel> weights;
    std::optional<DeepWeights> deep_weights;
    Dataset train_data;
    Dataset test_data;
    std::size_t inputs = 0;  // input neurons: pixels, or twice that with ON/OFF channels
    std::optional<ChipDescription> chip;  // events --chip
    std::optional<CoreMapping> mapping;   // the network on the chip's cores, checked before any output
};

// softspike events: the counts and energy of one phase, spiking and rate form side by side.
void events_pipeline(const PipelineRequest& request, Inputs& in, PipelineIo& io,
                     std::chrono::steady_clock::time_point start) {
    const Config& config = in.info.config;
    TrainingState state = initial_training_state(config, in.inputs);
    if (in.weights) {
        state.model = std::move(*in.weights);
        Rng programming = Rng::stream(config.seed, StreamPurpose::weight_programming, 0);
        synapse_memory(config, in.inputs).program(state.model.weights, programming);
    }
    EventsReport report;
    report.chip_weights = NetworkModel{state.model.weights, {}};
    const bool progress = !request.quiet;
    if (request.learning) {
        const TrainingResult trained = train(config, in.train_data, std::move(state), progress, {}, request.progress_sink);
        report.spiking = trained.stats.hardware;
        report.seconds = trained.stats.seconds;
        report.rate = rate_form_figures(config, in.train_data, report.chip_weights.weights, true);
    } else {
        const FrozenPass pass = run_frozen(config, state.model, in.test_data, FrozenSet::test_set, 0, progress, request.progress_sink);
        report.spiking = pass.stats.hardware;
        report.seconds = pass.stats.seconds;
        report.rate = rate_form_figures(config, in.test_data, report.chip_weights.weights, false);
    }
    report.arithmetic_tables = tables_pricing_macs(in.info.cost_tables);
    if (in.mapping) {
        // The packets come from the spikes this phase counted.
        report.mapping = in.mapping;
        count_packets(*report.mapping, {report.spiking.counts.input_spikes, report.spiking.counts.output_spikes,
                                        report.spiking.images});
        report.chip = in.chip;
    }
    report.phase = request.learning ? "training (plasticity on)" : "evaluation (frozen weights)";
    report.weights = request.weights_path.empty() ? std::string("initial (random)") : request.weights_path;
    report.pixels_per_image = in.train_data.pixels_per_image();
    report.info = std::move(in.info);
    report.total_seconds = seconds_since(start);
    io.write_events(report);
}

// softspike compare: both forms from one config, side by side.
void compare_pipeline(const PipelineRequest& request, Inputs& in, PipelineIo& io,
                      std::chrono::steady_clock::time_point start) {
    const Config& config = in.info.config;
    CompareReport report;
    const bool deep = !config.network.layers.empty();
    report.result = deep ? run_deep_compare(config, in.train_data, in.test_data, request.forms, !request.quiet)
                         : run_compare(config, in.train_data, in.test_data, request.forms, !request.quiet);
    if (report.result.deep_spiking) io.save_deep_weights("deep_weights_spiking.ckpt", *report.result.deep_spiking);
    if (report.result.deep_rate) io.save_deep_weights("deep_weights_rate.ckpt", *report.result.deep_rate);
    if (report.result.spiking) io.save_weights("weights_spiking.ckpt", report.result.spiking->model);
    if (report.result.rate) {
        const std::vector<NetworkModel>& layers = report.result.rate->layers;
        io.save_weights("weights_rate.ckpt", layers.front());
        for (std::size_t l = 1; l < layers.size(); ++l) {
            io.save_weights("weights_rate_layer" + std::to_string(l + 1) + ".ckpt", layers[l]);
        }
    }
    report.rate_learning_rate = request.forms.rate && !deep ? lower(config).rate_network.layer.learning_rate : 0.0;
    report.pixels_per_image = in.train_data.pixels_per_image();
    report.info = std::move(in.info);
    report.total_seconds = seconds_since(start);
    io.write_compare(report);
}

// softspike robustness: SoftHebb's trained weights and a backpropagation baseline under noise and attacks.
// A deep network (`deep`, its weights restored) is attacked in its rate form.
void robustness_pipeline(const PipelineRequest& request, Inputs& in, const DeepRateNetwork* deep, PipelineIo& io,
                         std::chrono::steady_clock::time_point start) {
    RobustnessReport report;
    report.result = deep != nullptr
                        ? run_deep_robustness(in.info.config, *deep, in.train_data, in.test_data, !request.quiet)
                        : run_robustness(in.info.config, *in.weights, in.train_data, in.test_data, !request.quiet);
    report.weights_path = request.weights_path;
    report.info = std::move(in.info);
    report.total_seconds = seconds_since(start);
    io.write_robustness(report);
}

// softspike train and eval: (train on-line,) evaluate both sets with frozen weights, fit both read-outs.
void train_eval_pipeline(const PipelineRequest& request, Inputs& in, PipelineIo& io,
                         std::chrono::steady_clock::time_point start) {
    const Config& config = in.info.config;
    const bool progress = !request.quiet;
    RunReport report;
    NetworkModel model = in.weights ? std::move(*in.weights) : NetworkModel{};
    if (request.command == "train") {
        TrainingState start_state = in.resume ? std::move(in.resume->state) : initial_training_state(config, in.inputs);
        CheckpointSink sink;
        if (config.training.checkpoint_every > 0) {
            sink = [&](const TrainingState& state) { io.save_training_state(config, state); };
        }
        report.training = train(config, in.train_data, std::move(start_state), progress, sink, request.progress_sink);
        io.save_weights("weights.ckpt", report.training->model);
    }
    const NetworkModel& trained = report.training ? report.training->model : model;
    report.eval_train = run_frozen(config, trained, in.train_data, FrozenSet::training_set, 0, progress, request.progress_sink);
    report.eval_test =
        run_frozen(config, trained, in.test_data, FrozenSet::test_set, config.output.raster_samples, progress,
                   request.progress_sink);
    report.silent_neurons_test = count_silent_neurons(report.eval_test.rates);
    report.readout = fit_readouts(config, report.eval_train, in.train_data, report.eval_test, in.test_data);
    report.classes = in.train_data.classes;
    report.test_labels = in.test_data.labels;
    report.train_labels = in.train_data.labels;
    report.pixels_per_image = in.train_data.pixels_per_image();
    report.info = std::move(in.info);
    report.total_seconds = seconds_since(start);
    io.write_run(report, trained, request.export_npy);
}

// Empty when the chip keys are ones a deep network applies; otherwise the first it does not, named, with what
// was found. The keys that change the kernels (weight_bits, dead_synapses, weight_noise) act on learning (the
// kernels live on the chip's grid and dead cells stay zero while they learn, in either form) and on frozen
// passes; compare, whose frozen passes read both forms' kernels as learned, refuses them.
std::string deep_chip_problem(const ChipParams& chip, const std::string& command) {
    const auto refuse = [](const std::string& key, const std::string& found, const std::string& why) {
        return "chip." + key + ": " + why + "; expected its default, found " + found;
    };
    if (command == "compare") {
        const std::string why =
            "softspike compare on a deep network compares the forms as learned in float32; run softspike train "
            "with network.form spiking and rate for on-chip learning";
        if (chip.weight_bits != 32) return refuse("weight_bits", std::to_string(chip.weight_bits), why);
        if (chip.weight_noise != 0.0) return refuse("weight_noise", std::to_string(chip.weight_noise), why);
        if (chip.dead_synapses != 0.0) return refuse("dead_synapses", std::to_string(chip.dead_synapses), why);
    }
    if (chip.spike_budget != 0) {
        return refuse("spike_budget", std::to_string(chip.spike_budget),
                      "a deep network's spike budgets are network.input_spikes_per_pixel and "
                      "network.layers[i].spikes_per_unit, per map, not the earliest spikes of a timed code");
    }
    if (chip.plasticity_window_ms != 0.0) {
        return refuse("plasticity_window_ms", std::to_string(chip.plasticity_window_ms),
                      "a deep network's spiking form applies plasticity once per image window already");
    }
    return {};
}

// What every deep report shows of the network itself: block shapes, kernels, kernel norms.
void describe_network(const DeepRateNetwork& network, DeepReport& report) {
    for (std::size_t i = 0; i < network.depth(); ++i) {
        report.block_outputs.push_back(network.block(i).output_shape());
        report.kernel_norms.push_back(network.block(i).kernel_norms());
        report.kernels.push_back(network.block(i).kernels());
    }
    report.input = network.block(0).input_shape();
}

// softspike train with network.layers: the deep rate network learns without labels (resumed from its last
// stage with --resume), its frozen features of both sets feed the read-outs; softspike eval: the same from a
// deep weights file, without the unsupervised phase.
void deep_pipeline(const PipelineRequest& request, Inputs& in, DeepRateNetwork& network, PipelineIo& io,
                   std::chrono::steady_clock::time_point start) {
    const Config& config = in.info.config;
    const bool progress = !request.quiet;
    DeepReport report;
    const bool training = request.command == "train";
    if (training) {
        const DeepTrainingState* resume = in.deep_resume ? &in.deep_resume->state : nullptr;
        if (resume != nullptr) network.restore(resume->weights);
        const DeepCheckpointSink sink = [&](const DeepTrainingState& state) {
            io.save_deep_training_state(config, state);
        };
        if (config.network.form == DeepForm::spiking) {
            report.spiking_training = train_deep_spiking(config, in.train_data, network, progress, resume, sink);
            report.training = as_training_record(*report.spiking_training);
        } else {
            report.training = train_deep(config, in.train_data, network, progress, resume, sink);
        }
        io.save_deep_weights("deep_weights.ckpt", network.weights());
    } else {
        report.weights_from = request.weights_path;
    }
    // The frozen passes read the kernels as the chip holds them (kernels learned on it are already on its grid).
    if (chip_changes_kernels(config.chip)) {
        network.restore(chip_kernels(network.weights(), config.chip, config.seed, training));
    }
    describe_network(network, report);
    report.form = config.network.form;
    if (config.network.form == DeepForm::spiking) {
        const DeepSpikingTwin twin = deep_spiking_twin(config, network, in.train_data);
        report.spike_values = twin.quanta;
        const std::size_t draws = config.network.feature_draws;
        DeepSpikingFeatures train =
            deep_spiking_features(twin.network, in.train_data, config.seed, FrozenSet::training_set,
                                  "spiking-features-train", progress, draws);
        DeepSpikingFeatures test = deep_spiking_features(twin.network, in.test_data, config.seed, FrozenSet::test_set,
                                                         "spiking-features-test", progress);
        report.train_spiking_counters = train.counters;
        report.test_spiking_counters = test.counters;
        if (in.test_data.size() > 0) {
            report.spike_rasters = spike_count_rasters(twin.network, network, in.test_data.image(0), config.seed, 0, 8);
        }
        report.train_feature_seconds = train.seconds;
        report.test_feature_seconds = test.seconds;
        report.train_feature_counters.resize(network.depth());
        report.test_feature_counters.resize(network.depth());
        report.readout =
            fit_readouts_on_draws(config, train.features, draws, in.train_data, test.features, in.test_data);
    } else {
        DeepFeatures train = deep_features(network, in.train_data, "features-train", progress);
        DeepFeatures test = deep_features(network, in.test_data, "features-test", progress);
        report.train_feature_counters = train.counters;
        report.test_feature_counters = test.counters;
        report.train_feature_seconds = train.seconds;
        report.test_feature_seconds = test.seconds;
        report.readout = fit_readouts(config, train.features, in.train_data, test.features, in.test_data);
    }
    report.train_images = in.train_data.size();
    report.test_images = in.test_data.size();
    report.test_labels = in.test_data.labels;
    report.classes = in.test_data.classes;
    if (report.spiking_training) {
        report.hardware.emplace_back("unsupervised training (spiking)",
                                     deep_spiking_hardware(network, spiking_training_counters(*report.spiking_training),
                                                           report.training.images, config.chip));
    } else if (training) {
        report.hardware.emplace_back("unsupervised training", deep_hardware(network, report.training.counters,
                                                                            report.training.images, config.chip));
    }
    if (report.form == DeepForm::spiking) {
        report.hardware.emplace_back(
            "features, training set (spiking)",
            deep_spiking_hardware(network, report.train_spiking_counters,
                                  report.train_images * config.network.feature_draws, config.chip));
        report.hardware.emplace_back(
            "evaluation, test set (spiking)",
            deep_spiking_hardware(network, report.test_spiking_counters, report.test_images, config.chip));
    } else {
        report.hardware.emplace_back("features, training set", deep_hardware(network, report.train_feature_counters,
                                                                             report.train_images, config.chip));
        report.hardware.emplace_back("evaluation, test set", deep_hardware(network, report.test_feature_counters,
                                                                           report.test_images, config.chip));
    }
    report.info = std::move(in.info);
    report.total_seconds = seconds_since(start);
    io.write_deep(report);
}

// softspike events with network.layers: the counts and energy of the unsupervised phase (--learning), then of a
// frozen pass over the test set with the kernels at that point (the initial ones without --learning).
void deep_events_pipeline(const PipelineRequest& request, Inputs& in, DeepRateNetwork& network, PipelineIo& io,
                          std::chrono::steady_clock::time_point start) {
    const Config& config = in.info.config;
    const bool progress = !request.quiet;
    DeepReport report;
    report.events_only = true;
    report.phase = request.learning ? "training (plasticity on)" : "evaluation (frozen weights)";
    report.weights_from = request.weights_path;
    if (request.learning && config.network.form == DeepForm::spiking) {
        report.spiking_training = train_deep_spiking(config, in.train_data, network, progress);
        report.training = as_training_record(*report.spiking_training);
        report.hardware.emplace_back("unsupervised training (spiking)",
                                     deep_spiking_hardware(network, spiking_training_counters(*report.spiking_training),
                                                           report.training.images, config.chip));
    } else if (request.learning) {
        report.training = train_deep(config, in.train_data, network, progress);
        report.hardware.emplace_back("unsupervised training", deep_hardware(network, report.training.counters,
                                                                            report.training.images, config.chip));
    }
    // The frozen passes read the kernels as the chip holds them (kernels learned on it are already on its grid).
    if (chip_changes_kernels(config.chip)) {
        network.restore(chip_kernels(network.weights(), config.chip, config.seed, request.learning));
    }
    describe_network(network, report);
    report.form = config.network.form;
    report.train_images = request.learning ? in.train_data.size() : 0;
    report.test_images = in.test_data.size();
    if (config.network.form == DeepForm::spiking) {
        const DeepSpikingTwin twin = deep_spiking_twin(config, network, in.train_data);
        report.spike_values = twin.quanta;
        DeepSpikingFeatures test = deep_spiking_features(twin.network, in.test_data, config.seed, FrozenSet::test_set,
                                                         "spiking-features-test", progress);
        report.test_spiking_counters = test.counters;
        report.test_feature_seconds = test.seconds;
        if (in.test_data.size() > 0) {
            report.spike_rasters = spike_count_rasters(twin.network, network, in.test_data.image(0), config.seed, 0, 8);
        }
        report.test_feature_counters.resize(network.depth());
        report.hardware.emplace_back(
            "evaluation, test set (spiking)",
            deep_spiking_hardware(network, report.test_spiking_counters, report.test_images, config.chip));
    } else {
        DeepFeatures test = deep_features(network, in.test_data, "features-test", progress);
        report.test_feature_counters = test.counters;
        report.test_feature_seconds = test.seconds;
        report.hardware.emplace_back("evaluation, test set", deep_hardware(network, report.test_feature_counters,
                                                                           report.test_images, config.chip));
    }
    report.info = std::move(in.info);
    report.total_seconds = seconds_since(start);
    io.write_deep(report);
}

}  // namespace

void run_pipeline(const PipelineRequest& request, PipelineIo& io) {
    const auto start = std::chrono::steady_clock::now();
    Inputs in;
    if (!request.resume_dir.empty()) {
        in.deep_resume = io.load_deep_resume_point(request.resume_dir);
        if (!in.deep_resume) in.resume = io.load_resume_point(request.resume_dir);
    }
    Config config = in.deep_resume ? resumed_config(in.deep_resume->config, request, "deep_state.ckpt")
                    : in.resume    ? resumed_config(in.resume->config, request, "training_state.ckpt")
                                   : io.load_config(request.config_path, request.overrides);
    // run-nir: the graph sets the network (its weights and what its nodes say of the population); the config
    // the rest.
    std::optional<NetworkModel> imported;
    if (request.command == "run-nir") {
        if (!config.network.layers.empty()) {
            throw ConfigError("network.layers: run-nir runs single-layer graphs; expected an empty list, found " +
                              std::to_string(config.network.layers.size()) + " layers");
        }
        NirNetwork network = nir_network(io.load_nir(request.nir_path), config, request.nir_path);
        config = std::move(network.config);
        imported = std::move(network.model);
    }
    const bool deep = !config.network.layers.empty();
    if (request.command == "export-nir" && deep) {
        const NirGraph refused = nir_graph(config, NetworkModel{});  // throws, naming the key
        throw std::logic_error("nir_graph exported a deep network (" + std::to_string(refused.nodes.size()) + " nodes)");
    }
    if (request.command == "robustness") {
        if (const std::string problem = robustness_problem(config); !problem.empty()) throw ConfigError(problem);
        if (request.weights_path.empty()) {
            throw UsageError("'robustness' needs --weights FILE (a weights.ckpt written by 'softspike train')");
        }
    }
    const std::size_t threads =
        config.threads == 0 ? static_cast<std::size_t>(tbb::info::default_concurrency()) : config.threads;
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);

    in.info.command = request.command_line;
    in.info.config = config;
    in.info.threads = threads;
    // Cost tables are input too: checked before any output exists.
    in.info.cost_tables = io.load_cost_tables(request.cost_tables);
    if (!request.chip_path.empty()) {
        if (deep) {
            throw ConfigError("network.layers: --chip maps the single-layer network onto cores; a deep network's "
                              "convolutional blocks are not mapped yet (expected an empty list, found " +
                              std::to_string(config.network.layers.size()) + " layers)");
        }
        in.chip = io.load_chip(request.chip_path);
    }

    const std::string weights_file = imported ? request.nir_path : request.weights_path;
    if (imported) {
        in.weights = std::move(*imported);
    } else if (deep && !request.weights_path.empty()) {
        in.deep_weights = io.load_deep_weights(request.weights_path);
    } else if (!request.weights_path.empty()) {
        in.weights = io.load_weights(request.weights_path);
        if (in.weights->weights.targets() != config.population.neurons) {
            throw CheckpointError(
                request.weights_path + ": the checkpoint has " + std::to_string(in.weights->weights.targets()) +
                " neurons, the config's population.neurons is " + std::to_string(config.population.neurons));
        }
    }

    const auto load_start = std::chrono::steady_clock::now();
    in.train_data = io.load_dataset(config.data, DataSplit::train);
    in.test_data = io.load_dataset(config.data, DataSplit::test);
    in.info.load_seconds = seconds_since(load_start);
    in.inputs = encoded_inputs(in.train_data.pixels_per_image(), config.encoder);
    // A network the chip cannot hold is refused now, before any output exists.
    if (in.chip) {
        const LayerDemand layer{"soft-WTA", config.population.neurons, in.inputs, config.chip.weight_bits,
                                config.population.kind == WtaKind::lif};
        in.mapping = map_layer(layer, *in.chip, config.encoder.presentation_ms, request.chip_path);
    }
    if (request.command == "robustness") {
        const std::vector<std::uint32_t>& sizes = config.robustness.training_sizes;
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            if (sizes[i] > in.train_data.size()) {
                throw ConfigError(request.config_path + ": key 'robustness.training_sizes[" + std::to_string(i) +
                                  "]': expected at most the " + std::to_string(in.train_data.size()) +
                                  " training images loaded (data.train_images), found " + std::to_string(sizes[i]));
            }
        }
    }
    if (in.weights && in.weights->weights.sources() != in.inputs) {
        throw CheckpointError(weights_file + ": the network has " +
                              std::to_string(in.weights->weights.sources()) +
                              " inputs, the config's encoder and the data need " + std::to_string(in.inputs));
    }

    if (request.command == "export-nir") {
        if (request.weights_path.empty()) throw UsageError("'export-nir' needs --weights FILE (a weights.ckpt)");
        if (request.nir_path.empty()) throw UsageError("'export-nir' needs --out FILE (the NIR file to write)");
        io.save_nir(request.nir_path, nir_graph(config, in.weights ? *in.weights : NetworkModel{}));
        return;
    }

    std::optional<DeepRateNetwork> deep_network;
    if (deep) {
        if (request.command == "compare" && request.forms.spiking) {
            if (const std::string problem = spiking_training_problem(config); !problem.empty()) {
                throw ConfigError(problem);
            }
        }
        if (in.resume) {
            throw CheckpointError(request.resume_dir +
                                  "/training_state.ckpt: a single-layer run's checkpoint, but "
                                  "its stored config has network.layers");
        }
        if (const std::string problem = deep_chip_problem(config.chip, request.command); !problem.empty()) {
            throw ConfigError(problem);
        }
        if (config.chip.input_noise > 0.0) {
            // Every image the network sees, learning or frozen, arrives with the chip's pixel noise.
            in.train_data = chip_images(in.train_data, config.chip.input_noise, config.seed, FrozenSet::training_set);
            in.test_data = chip_images(in.test_data, config.chip.input_noise, config.seed, FrozenSet::test_set);
        }
        if (config.network.form == DeepForm::spiking && (request.command == "train" || request.learning)) {
            if (const std::string problem = spiking_training_problem(config); !problem.empty()) {
                throw ConfigError(problem);
            }
        }
        deep_network.emplace(initial_deep_network(config, in.train_data));  // checks every layer's shape
        check_deep_memory(*deep_network, in.train_data.size(), in.test_data.size());
        const auto check_fits = [&](const DeepWeights& weights, const std::string& file) {
            if (const std::string m = deep_network->mismatch(weights); !m.empty()) {
                throw CheckpointError(file + ": " + m + " (the network of the config's network.layers and data)");
            }
        };
        if (in.deep_weights) {
            check_fits(*in.deep_weights, request.weights_path);
            deep_network->restore(*in.deep_weights);
        }
        if (in.deep_resume) check_fits(in.deep_resume->state.weights, request.resume_dir + "/deep_state.ckpt");
    } else if (in.deep_resume) {
        throw CheckpointError(request.resume_dir + "/deep_state.ckpt: its stored config has no network.layers");
    } else {
        check_memory(config, in.inputs, in.train_data.size(), in.test_data.size());
    }
    if (request.command == "compare" && request.forms.rate && !deep) require_rate_form(config);
    if (in.resume) check_resume_fits(*in.resume, request.resume_dir, in.train_data.size(), in.inputs);

    // Opened once every input has been checked, so that bad input leaves no empty directory behind, and
    // before the long work, so that an unwritable directory is reported at once.
    io.open_output(config.output.dir, in.resume.has_value() || in.deep_resume.has_value());
    if (request.command == "compare") return compare_pipeline(request, in, io, start);
    if (request.command == "robustness") {
        return robustness_pipeline(request, in, deep_network ? &*deep_network : nullptr, io, start);
    }
    if (deep && request.command == "events") return deep_events_pipeline(request, in, *deep_network, io, start);
    if (request.command == "events") return events_pipeline(request, in, io, start);
    if (deep) return deep_pipeline(request, in, *deep_network, io, start);
    train_eval_pipeline(request, in, io, start);
}

}  // namespace softspike
