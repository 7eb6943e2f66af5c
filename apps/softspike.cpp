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
#include "io/checkpoint.hpp"
#include "io/training_checkpoint.hpp"
#include "io/config.hpp"
#include "io/dataset.hpp"
#include "io/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/report.hpp"
#include "neurons/encoder_params.hpp"
#include "run/experiment.hpp"

namespace {

using namespace softspike;

const char* const kMainHelp = R"(softspike: event-driven spiking soft-WTA networks learning with SoftHebb

usage: softspike <command> [options]

commands:
  train   train on-line on the training set, then evaluate both read-outs on the test set
  eval    evaluate saved weights (no plasticity) with both read-outs
  help    this text; 'softspike <command> --help' for a command's options

exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 data, 5 checkpoint, 6 output, 7 numerical (training diverged)
)";

const char* const kTrainHelp = R"(usage: softspike train --config FILE [options]
       softspike train --resume DIR [--threads N] [--quiet]

Trains the soft-WTA layer on-line (one image at a time, SoftHebb at every output spike), saves the
weights to OUT/weights.ckpt, then presents the training and test sets with frozen weights, fits the
label-assignment and linear read-outs on the training rate vectors and scores them on the test set.
Writes OUT/report.json; prints progress on stderr and a summary on stdout.

options:
  --config FILE      JSON config (see configs/default.json); required
  --set KEY=VALUE    override one config key, e.g. --set population.neurons=100 (repeatable);
                     VALUE is JSON, or a bare string
  --seed N           same as --set seed=N
  --threads N        worker threads (0: all cores); results do not depend on it
  --out DIR          output directory (default: the config's output.dir)
  --resume DIR       continue the run whose output directory is DIR from its last training checkpoint
                     (DIR/training_state.ckpt, written every training.checkpoint_every images); the config
                     is the one stored in the checkpoint, only --threads and --quiet may be given with it.
                     The result is bit-identical to a run that was never interrupted.
  --quiet            no progress line
  --help             this text
)";

const char* const kEvalHelp = R"(usage: softspike eval --config FILE --weights FILE [options]

Evaluates saved weights with plasticity off: presents the training set (to fit the read-outs) and the
test set, and reports both read-outs' test accuracy, event counts and timings in OUT/report.json.

options:
  --config FILE      JSON config; its network shape must match the checkpoint's
  --weights FILE     a checkpoint written by 'softspike train' (OUT/weights.ckpt)
  --set KEY=VALUE    override one config key (repeatable)
  --seed N           same as --set seed=N
  --threads N        worker threads (0: all cores)
  --out DIR          output directory (default: the config's output.dir)
  --quiet            no progress line
  --help             this text
)";

struct Arguments {
    std::string command;
    std::string config_path;
    std::string weights_path;
    std::string resume_dir;
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
    if (args.command != "train" && args.command != "eval") throw UsageError("unknown command '" + args.command + "'");
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
        else if (arg == "--weights" && args.command == "eval")
            args.weights_path = value();
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

    std::optional<NetworkModel> loaded;
    if (args.command == "eval") {
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
    report.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
    report.classes = train_data.classes;
    report.test_labels = test_data.labels;
    const std::size_t inputs = encoded_inputs(train_data.pixels_per_image(), config.encoder);
    if (loaded && loaded->weights.sources() != inputs) {
        throw CheckpointError(args.weights_path + ": the checkpoint has " + std::to_string(loaded->weights.sources()) +
                              " inputs, the config's encoder and the data need " + std::to_string(inputs));
    }

    check_memory(config, inputs, train_data.size(), test_data.size());
    if (resume) check_resume_fits(*resume, args.resume_dir, train_data.size(), inputs);

    // Created once every input has been checked, so that bad input leaves no empty directory behind, and
    // before the long work, so that an unwritable directory is reported at once.
    const std::filesystem::path out = prepare_output_dir(config.output.dir);
    if (resume) remove_stale_temporaries(out);
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
    report.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_report(out, report);
    std::cout << summary_table(report) << "report: " << (out / "report.json").string() << "\n";
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
            std::cout << (args.command == "train" ? kTrainHelp : kEvalHelp);
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
