// softspike: command-line front end. Parses arguments, calls the library, maps errors to exit codes.
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/numerical_error.hpp"
#include "core/wall_clock.hpp"
#include "io/checkpoint.hpp"
#include "report/compare_report.hpp"
#include "io/cost_table_file.hpp"
#include "report/hardware_report.hpp"
#include "report/html_report.hpp"
#include "io/npy.hpp"
#include "io/training_checkpoint.hpp"
#include "io/config_file.hpp"
#include "run/config.hpp"
#include "io/dataset_loader.hpp"
#include "io/atomic_file.hpp"
#include "core/errors.hpp"
#include "report/report.hpp"
#include "neurons/encoder_params.hpp"
#include "core/dense_kernels.hpp"
#include "run/experiment.hpp"
#include "run/lowering.hpp"

namespace {

using namespace softspike;

const char* const kMainHelp = R"(softspike: event-driven spiking soft-WTA networks learning with SoftHebb

usage: softspike <command> [options]

commands:
  train   train on-line on the training set, then evaluate both read-outs on the test set
  eval    evaluate saved weights (no plasticity) with both read-outs
  events  count every operation of a run and price it under energy cost tables (no read-outs)
  compare train and evaluate the spiking network and its rate-model twin side by side
  help    this text; 'softspike <command> --help' for a command's options

exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 data, 5 checkpoint, 6 output, 7 numerical (training diverged)
)";

// The options every command takes, printed after its own.
const char* const kCommonOptions = R"(  --export-npy       (train, eval) also write weights.npy, biases.npy, rates_train.npy, rates_test.npy,
                     labels_train.npy and labels_test.npy into OUT, for numpy.load
  --cost-table FILE  price energy under this table (JSON, see configs/cost_tables/); repeatable;
                     replaces the shipped tables (horowitz45_fp32, horowitz45_int8, loihi, truenorth)
  --set KEY=VALUE    override one config key, e.g. --set population.neurons=100 (repeatable);
                     VALUE is JSON, or a bare string
  --seed N           same as --set seed=N
  --threads N        worker threads (0: all cores); results do not depend on it
  --out DIR          output directory (default: the config's output.dir)
  --quiet            no progress line
  --help             this text
)";

const char* const kTrainHelp = R"(usage: softspike train --config FILE [options]
       softspike train --resume DIR [--threads N] [--quiet]

Trains the soft-WTA layer on-line (one image at a time, SoftHebb at every output spike), saves the
weights to OUT/weights.ckpt, then presents the training and test sets with frozen weights, fits the
label-assignment and linear read-outs on the training rate vectors and scores them on the test set.
Writes OUT/report.json; prints progress on stderr and a summary on stdout.

options:
  --config FILE      JSON config (see configs/default.json); required
  --resume DIR       continue the run whose output directory is DIR from its last training checkpoint
                     (DIR/training_state.ckpt, written every training.checkpoint_every images); the config
                     is the one stored in the checkpoint, only --threads and --quiet may be given with it.
                     The result is bit-identical to a run that was never interrupted.
)";

const char* const kEvalHelp = R"(usage: softspike eval --config FILE --weights FILE [options]

Evaluates saved weights with plasticity off: presents the training set (to fit the read-outs) and the
test set, and reports both read-outs' test accuracy, event counts and timings in OUT/report.json.

options:
  --config FILE      JSON config; its network shape must match the checkpoint's
  --weights FILE     a checkpoint written by 'softspike train' (OUT/weights.ckpt)
)";

const char* const kEventsHelp = R"(usage: softspike events --config FILE [--weights FILE] [--learning] [options]

Counts the operations of a run exactly and prices them under energy cost tables, for sizing a chip:
input and output spikes, synaptic events (effective ACs / MACs: through nonzero weights), membrane,
trace, bias and plasticity updates, weight-memory bytes read and written at chip.weight_bits, the
NeuroBench metrics, and the energy per category and per image under each table. Beside it, the dense
rate form of the same layer counted by formula. The chip.* config keys set the scenario (weight bits,
noise, dead synapses, spike budget). Writes OUT/report.json.

Without --learning: a frozen pass over the test set (data.test_images) with the weights of --weights,
or the initial random weights. With --learning: the on-line training pass over data.train_images.

options:
  --config FILE      JSON config; required
  --weights FILE     start from these weights (a checkpoint written by 'softspike train')
  --learning         count the training pass (plasticity on) instead of evaluation
)";

const char* const kCompareHelp = R"(usage: softspike compare --config FILE [--forms spiking,rate] [options]

Trains the spiking network and its rate-model twin (model.md §1: u = W x + b, y = softmax(u / T), the
same rule in its rate form, rate.* keys) from one config and seed, evaluates both read-outs of each on the
test set, then evaluates each form with the other's weights (compare.transfer) and the spike-trained
spiking model over the input spike budgets of compare.spike_budgets. Writes OUT/report.json,
OUT/compare.csv, OUT/report.html and the weights (weights_spiking.ckpt, weights_rate.ckpt and, for
stacked rate layers, weights_rate_layerN.ckpt); prints the table on stdout.

options:
  --config FILE      JSON config; required
  --forms LIST       spiking, rate or spiking,rate (default): which forms to train
)";

struct Arguments {
    std::string command;
    std::string config_path;
    std::string weights_path;
    std::string resume_dir;
    std::vector<std::string> cost_tables;
    bool learning = false;
    bool export_npy = false;
    CompareForms forms;
    std::vector<std::string> overrides;
    bool quiet = false;
    bool help = false;
    std::string command_line;
};

Arguments parse_arguments(int argc, char** argv) {
    Arguments args;
    for (int i = 0; i < argc; ++i) {
        if (i > 0) args.command_line.push_back(' ');
        args.command_line.append(argv[i]);
    }
    if (argc < 2) throw UsageError("no command given");
    args.command = argv[1];
    if (args.command == "help" || args.command == "--help" || args.command == "-h") {
        args.command = "help";
        return args;
    }
    if (args.command != "train" && args.command != "eval" && args.command != "events" && args.command != "compare")
        throw UsageError("unknown command '" + args.command + "'");
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw UsageError("option " + arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h")
            args.help = true;
        else if (arg == "--quiet")
            args.quiet = true;
        else if (arg == "--config")
            args.config_path = value();
        else if (arg == "--weights" && (args.command == "eval" || args.command == "events"))
            args.weights_path = value();
        else if (arg == "--learning" && args.command == "events")
            args.learning = true;
        else if (arg == "--forms" && args.command == "compare") {
            const std::string forms = value();
            args.forms.spiking = forms == "spiking" || forms == "spiking,rate" || forms == "rate,spiking";
            args.forms.rate = forms == "rate" || forms == "spiking,rate" || forms == "rate,spiking";
            if (!args.forms.spiking && !args.forms.rate) {
                throw UsageError("--forms: expected spiking, rate or spiking,rate, found '" + forms + "'");
            }
        } else if (arg == "--export-npy" && args.command != "events" && args.command != "compare")
            args.export_npy = true;
        else if (arg == "--cost-table")
            args.cost_tables.push_back(value());
        else if (arg == "--resume" && args.command == "train")
            args.resume_dir = value();
        else if (arg == "--set")
            args.overrides.push_back(value());
        else if (arg == "--seed")
            args.overrides.push_back("seed=" + value());
        else if (arg == "--threads")
            args.overrides.push_back("threads=" + value());
        else if (arg == "--out")
            args.overrides.push_back("output.dir=" + nlohmann::json(value()).dump());
        else
            throw UsageError("unknown option '" + arg + "' for '" + args.command + "'");
    }
    if (args.help) return args;
    if (!args.resume_dir.empty()) {
        for (const std::string& o : args.overrides) {
            if (o.rfind("threads=", 0) != 0) {
                throw UsageError("--resume takes the config stored in the checkpoint: drop --set, --seed and --out");
            }
        }
        if (!args.config_path.empty()) {
            throw UsageError("--resume takes the config stored in the checkpoint: drop --config");
        }
        return args;
    }
    if (args.config_path.empty()) throw UsageError("'" + args.command + "' needs --config FILE");
    if (args.command == "eval" && args.weights_path.empty()) throw UsageError("'eval' needs --weights FILE");
    return args;
}

namespace fs = std::filesystem;

constexpr const char* kTrainingStateFile = "training_state.ckpt";

// The config of a resumed run: the stored one, written to the resumed directory, with --threads applied
// (the only override allowed, since results do not depend on it).
Config resumed_config(const ResumePoint& point, const Arguments& args) {
    nlohmann::json document = config_to_json(point.config);
    document["output"]["dir"] = args.resume_dir;
    for (const std::string& assignment : args.overrides) apply_override(document, assignment);
    return parse_config(document, args.resume_dir + "/" + kTrainingStateFile + " (stored config)");
}

// A checkpoint whose data no longer matches (a different data set on disk) cannot be resumed.
void check_resume_fits(const ResumePoint& point, const std::string& dir, std::size_t train_images,
                       std::size_t inputs) {
    const std::string name = dir + "/" + kTrainingStateFile;
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

// An absurd size is a config error before anything that size is allocated, not a crash or a swap storm.
void check_memory(const Config& config, std::size_t inputs, std::size_t train_images, std::size_t test_images) {
    const std::uint64_t need = estimated_run_bytes(config, inputs, train_images, test_images);
    const auto pages = ::sysconf(_SC_PHYS_PAGES);
    const auto page_size = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return;
    const std::uint64_t have = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
    if (need > have / 10 * 9) {
        auto gib = [](std::uint64_t bytes) { return std::to_string(static_cast<double>(bytes) / (1ULL << 30U)); };
        throw ConfigError("population.neurons = " + std::to_string(config.population.neurons) + " with " +
                          std::to_string(train_images) + " training and " + std::to_string(test_images) +
                          " test images and " + std::to_string(inputs) + " inputs needs about " + gib(need) +
                          " GiB (weights and rate vectors); expected at most 90% of this machine's " + gib(have) +
                          " GiB: lower population.neurons, data.train_images or data.test_images");
    }
}

std::filesystem::path prepare_output_dir(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw OutputError("cannot create output directory '" + dir + "': " + ec.message());
    return dir;
}

// --export-npy: what a user wants to load in numpy, in numpy's own format.
void export_npy(const fs::path& out, const RunReport& r, const NetworkModel& model) {
    const auto save = [&](const char* name, const NpyArray& array) { write_file_atomically(out / name, encode_npy(array)); };
    save("weights.npy", npy_float32({model.weights.sources(), model.weights.targets()}, model.weights.weights()));
    save("biases.npy", npy_float32({model.biases.size()}, model.biases));
    save("rates_train.npy", npy_float32({r.eval_train.rates.samples, r.eval_train.rates.neurons}, r.eval_train.rates.counts));
    save("rates_test.npy", npy_float32({r.eval_test.rates.samples, r.eval_test.rates.neurons}, r.eval_test.rates.counts));
    save("labels_test.npy", npy_uint8({r.test_labels.size()}, r.test_labels));
    save("labels_train.npy", npy_uint8({r.train_labels.size()}, r.train_labels));
}

// softspike events: the counts and energy of one phase, spiking and rate form side by side.
int run_events(const Arguments& args, const Config& config, const RunReport& report, std::optional<NetworkModel> loaded,
               const Dataset& train_data, const Dataset& test_data, const fs::path& out) {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t inputs = encoded_inputs(train_data.pixels_per_image(), config.encoder);
    TrainingState state = initial_training_state(config, inputs);
    if (loaded) {
        state.model = std::move(*loaded);
        Rng programming = Rng::stream(config.seed, StreamPurpose::weight_programming, 0);
        synapse_memory(config, inputs).program(state.model.weights, programming);
    }
    const Projection chip_weights = state.model.weights;
    const bool progress = !args.quiet;
    HardwareFigures spiking;
    HardwareFigures rate;
    double seconds = 0.0;
    if (args.learning) {
        const TrainingResult trained = train(config, train_data, std::move(state), progress);
        spiking = trained.stats.hardware;
        seconds = trained.stats.seconds;
        rate = rate_form_figures(config, train_data, chip_weights, true);
    } else {
        const FrozenPass pass = run_frozen(config, state.model, test_data, FrozenSet::test_set, 0, progress);
        spiking = pass.stats.hardware;
        seconds = pass.stats.seconds;
        rate = rate_form_figures(config, test_data, chip_weights, false);
    }
    // The rate form is priced only under tables for conventional arithmetic (those that price a MAC);
    // a spiking chip's per-event figures say nothing about a dense layer.
    std::vector<CostTable> arithmetic;
    for (const CostTable& t : report.cost_tables) {
        if (t.costs_pj.count("effective_mac") != 0) arithmetic.push_back(t);
    }
    const std::string phase = args.learning ? "training (plasticity on)" : "evaluation (frozen weights)";
    nlohmann::json j;
    j["command"] = args.command_line;
    j["seed"] = config.seed;
    j["threads"] = report.threads;
    j["versions"] = build_versions();
    j["config"] = config_to_json(config);
    j["phase"] = phase;
    j["weights"] = args.weights_path.empty() ? std::string("initial (random)") : args.weights_path;
    j["seconds"] = seconds;
    j["spiking"] = hardware_json(spiking, report.cost_tables);
    j["rate_form_by_formula"] = hardware_json(rate, arithmetic);
    j["total_seconds"] = seconds_since(start);
    j["peak_rss_mib"] = peak_rss_mib();
    write_file_atomically(out / "report.json", j.dump(2) + "\n");
    write_file_atomically(out / "report.html",
                          render_events_report(args.command_line, NetworkModel{chip_weights, {}}, train_data.pixels_per_image(),
                                               {{"spiking, " + phase, spiking}, {"rate form by formula, " + phase, rate}},
                                               report.cost_tables));
    std::cout << hardware_table("spiking, " + phase, spiking, report.cost_tables) << "\n"
              << hardware_table("rate form by formula, " + phase, rate, arithmetic)
              << "report: " << (out / "report.json").string() << "\n";
    return exit_ok;
}

// softspike compare: both forms from one config, side by side.
int run_compare_command(const Arguments& args, const Config& config, const RunReport& report,
                        const Dataset& train_data, const Dataset& test_data, const fs::path& out) {
    const auto start = std::chrono::steady_clock::now();
    const CompareResult result = run_compare(config, train_data, test_data, args.forms, !args.quiet);
    if (result.spiking) save_checkpoint(out / "weights_spiking.ckpt", result.spiking->model);
    if (result.rate) {
        save_checkpoint(out / "weights_rate.ckpt", result.rate->layers.front());
        for (std::size_t l = 1; l < result.rate->layers.size(); ++l) {
            save_checkpoint(out / ("weights_rate_layer" + std::to_string(l + 1) + ".ckpt"), result.rate->layers[l]);
        }
    }
    nlohmann::json j = compare_to_json(result);
    j["command"] = args.command_line;
    j["seed"] = config.seed;
    j["threads"] = report.threads;
    j["versions"] = build_versions();
    j["config"] = config_to_json(config);
    j["rate_learning_rate"] = args.forms.rate ? lower(config).rate_network.layer.learning_rate : 0.0;
    if (args.forms.rate) j["openblas_core"] = blas_core();
    j["load_seconds"] = report.load_seconds;
    j["total_seconds"] = seconds_since(start);
    j["peak_rss_mib"] = peak_rss_mib();
    write_file_atomically(out / "report.json", j.dump(2) + "\n");
    write_file_atomically(out / "compare.csv", compare_csv(result));
    const NetworkModel& shown = result.spiking ? result.spiking->model : result.rate->layers.front();
    write_file_atomically(out / "report.html",
                          render_compare_report(args.command_line, result, shown, train_data.pixels_per_image()));
    std::cout << compare_table(result) << "report: " << (out / "report.json").string()
              << ", compare.csv and report.html\n";
    return exit_ok;
}

int run(const Arguments& args) {
    const auto start = std::chrono::steady_clock::now();
    std::optional<ResumePoint> resume;
    if (!args.resume_dir.empty()) resume = load_training_checkpoint(fs::path(args.resume_dir) / kTrainingStateFile);
    const Config config = resume ? resumed_config(*resume, args) : load_config(args.config_path, args.overrides);
    const std::size_t threads =
        config.threads == 0 ? static_cast<std::size_t>(tbb::info::default_concurrency()) : config.threads;
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    const bool progress = !args.quiet;

    RunReport report;
    report.command = args.command_line;
    report.config = config;
    report.threads = threads;

    // Cost tables are input too: checked before any output exists.
    report.cost_tables.clear();
    if (args.cost_tables.empty()) {
        report.cost_tables = load_cost_tables(default_cost_table_dir());
    } else {
        for (const std::string& path : args.cost_tables) report.cost_tables.push_back(load_cost_table(path));
    }

    std::optional<NetworkModel> loaded;
    if (!args.weights_path.empty()) {
        loaded = load_checkpoint(args.weights_path);
        if (loaded->weights.targets() != config.population.neurons) {
            throw CheckpointError(
                args.weights_path + ": the checkpoint has " + std::to_string(loaded->weights.targets()) +
                " neurons, the config's population.neurons is " + std::to_string(config.population.neurons));
        }
    }

    const auto load_start = std::chrono::steady_clock::now();
    const Dataset train_data = load_fashion_mnist(config.data.dir, "train", config.data.train_images);
    const Dataset test_data = load_fashion_mnist(config.data.dir, "t10k", config.data.test_images);
    report.load_seconds = seconds_since(load_start);
    report.classes = train_data.classes;
    report.test_labels = test_data.labels;
    report.train_labels = train_data.labels;
    const std::size_t inputs = encoded_inputs(train_data.pixels_per_image(), config.encoder);
    if (loaded && loaded->weights.sources() != inputs) {
        throw CheckpointError(args.weights_path + ": the checkpoint has " + std::to_string(loaded->weights.sources()) +
                              " inputs, the config's encoder and the data need " + std::to_string(inputs));
    }

    check_memory(config, inputs, train_data.size(), test_data.size());
    if (args.command == "compare" && args.forms.rate) {
        require_rate_form(config);  // a LIF population needs rate.learning_rate
    }
    if (resume) check_resume_fits(*resume, args.resume_dir, train_data.size(), inputs);

    // Created once every input has been checked, so that bad input leaves no empty directory behind, and
    // before the long work, so that an unwritable directory is reported at once.
    const std::filesystem::path out = prepare_output_dir(config.output.dir);
    if (resume) remove_stale_temporaries(out);
    if (args.command == "compare") return run_compare_command(args, config, report, train_data, test_data, out);
    if (args.command == "events") return run_events(args, config, report, std::move(loaded), train_data, test_data, out);
    NetworkModel model = loaded ? std::move(*loaded) : NetworkModel{};
    if (args.command == "train") {
        TrainingState start_state = resume ? std::move(resume->state) : initial_training_state(config, inputs);
        CheckpointSink sink;
        if (config.training.checkpoint_every > 0) {
            sink = [&](const TrainingState& state) { save_training_checkpoint(out / kTrainingStateFile, config, state); };
        }
        report.training = train(config, train_data, std::move(start_state), progress, sink);
        save_checkpoint(out / "weights.ckpt", report.training->model);
    }
    const NetworkModel& trained = report.training ? report.training->model : model;
    report.eval_train = run_frozen(config, trained, train_data, FrozenSet::training_set, 0, progress);
    report.eval_test =
        run_frozen(config, trained, test_data, FrozenSet::test_set, config.output.raster_samples, progress);
    report.silent_neurons_test = count_silent_neurons(report.eval_test.rates);
    report.readout = fit_readouts(config, report.eval_train, train_data, report.eval_test, test_data);
    report.total_seconds = seconds_since(start);
    write_report(out, report);
    write_file_atomically(out / "report.html", render_run_report(report, trained, train_data.pixels_per_image()));
    if (args.export_npy) export_npy(out, report, trained);
    std::cout << summary_table(report) << "report: " << (out / "report.json").string() << " and report.html\n";
    return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Arguments args = parse_arguments(argc, argv);
        if (args.command == "help") {
            std::cout << kMainHelp;
            return exit_ok;
        }
        if (args.help) {
            std::cout << (args.command == "train"     ? kTrainHelp
                          : args.command == "eval"  ? kEvalHelp
                          : args.command == "compare" ? kCompareHelp
                                                      : kEventsHelp)
                      << kCommonOptions;
            return exit_ok;
        }
        return run(args);
    } catch (const UsageError& e) {
        std::cerr << "softspike: " << e.what() << "\n\n" << kMainHelp;
        return exit_usage;
    } catch (const ConfigError& e) {
        std::cerr << "softspike: config error: " << e.what() << "\n";
        return exit_config;
    } catch (const DataError& e) {
        std::cerr << "softspike: data error: " << e.what() << "\n";
        return exit_data;
    } catch (const CheckpointError& e) {
        std::cerr << "softspike: checkpoint error: " << e.what() << "\n";
        return exit_checkpoint;
    } catch (const OutputError& e) {
        std::cerr << "softspike: output error: " << e.what() << "\n";
        return exit_output;
    } catch (const NumericalError& e) {
        std::cerr << "softspike: numerical error: " << e.what() << "\n";
        return exit_numerical;
    } catch (const std::exception& e) {
        std::cerr << "softspike: internal error: " << e.what() << "\n";
        return exit_internal;
    }
}
