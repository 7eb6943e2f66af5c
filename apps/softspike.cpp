// softspike: command-line front end. Parses arguments, calls the library, maps errors to exit codes.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/numerical_error.hpp"
#include "report/file_system_io.hpp"
#include "run/pipelines.hpp"

namespace {

using namespace softspike;

const char* const kMainHelp = R"(softspike: event-driven spiking soft-WTA networks learning with SoftHebb

usage: softspike <command> [options]

commands:
  train   train on-line on the training set, then evaluate both read-outs on the test set
  eval    evaluate saved weights (no plasticity) with both read-outs
  events  count every operation of a run and price it under energy cost tables (no read-outs)
  compare train and evaluate the spiking network and its rate-model twin side by side
  robustness  trained SoftHebb weights against a backpropagation baseline under noise and attacks
  export-nir  write trained weights as a NIR graph (HDF5) for other neuromorphic tools
  run-nir     evaluate a single-layer NIR graph (HDF5) on the event-driven simulator, with hardware counts
  help    this text; 'softspike <command> --help' for a command's options

exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 data, 5 checkpoint, 6 output, 7 numerical (training diverged)
)";

// The options every command takes, printed after its own.
const char* const kCommonOptions =
    R"(  --export-npy       (train, eval) also write weights.npy, biases.npy, rates_train.npy, rates_test.npy,
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

const char* const kExportNirHelp = R"(usage: softspike export-nir --config FILE --weights W --out FILE.nir [options]

Writes the single-layer network of the config with the weights W (a weights.ckpt) as a NIR graph
(Neuromorphic Intermediate Representation, an HDF5 file that snnTorch, Norse, Lava, Rockpool, Sinabs and
others read): Input -> LI (the traces) -> Affine -> Output for the stochastic form; Input -> Linear -> LIF
-> Output with the lateral inhibition as LIF -> Delay -> Linear -> LIF for the LIF form. What NIR cannot
express (the soft-WTA's draw, escape noise, reset by subtraction, the traces' warm-up correction,
plasticity, the chip's keys) is in the nodes' and the graph's metadata (README, "NIR"). Deep networks are
refused. The file is written to a temporary file beside it and renamed into place.

options:
  --config FILE      the JSON config the weights were trained with; required
  --weights W        a weights.ckpt written by 'softspike train'; required
  --out FILE         the NIR file to write; required
)";

const char* const kRunNirHelp = R"(usage: softspike run-nir FILE.nir --config FILE [options]

Reads a NIR graph and evaluates the network it describes as softspike's eval does (frozen weights, both
read-outs, report.json with every hardware count and the energy under the cost tables). The graph sets the
weights and what its nodes say of the population; the config the rest (data, encoder, evaluation, read-out).
Graphs of these shapes run (the ones export-nir writes):
  Input -> [LI] -> Affine -> Output                      the stochastic soft-WTA (LI: the traces' tau)
  Input -> Linear|Affine -> LIF -> Output                the LIF form (threshold, biases from v_leak),
     with an optional loop LIF -> Delay -> Linear -> LIF  its lateral inhibition and delay
Any other node type or shape, or a parameter softspike cannot take (a threshold that differs between
neurons, r != tau, v_reset != 0), is exit 5 naming the node, its type and what is supported.

options:
  --config FILE      JSON config; required
)";

const char* const kTrainHelp = R"(usage: softspike train --config FILE [options]
       softspike train --resume DIR [--threads N] [--quiet]

Trains the soft-WTA layer on-line (one image at a time, SoftHebb at every output spike), saves the
weights to OUT/weights.ckpt, then presents the training and test sets with frozen weights, fits the
label-assignment and linear read-outs on the training rate vectors and scores them on the test set.
Writes OUT/report.json; prints progress on stderr and a summary on stdout.
A deep network (network.layers, configs/deep_fmnist.json) learns without labels block by block, saves its
kernels and BatchNorm statistics to OUT/deep_weights.ckpt and a training checkpoint (OUT/deep_state.ckpt)
after every block's passes, then fits the read-outs on its frozen features.

options:
  --config FILE      JSON config (see configs/default.json); required
  --resume DIR       continue the run whose output directory is DIR from its last training checkpoint
                     (DIR/training_state.ckpt, written every training.checkpoint_every images; for a deep
                     network DIR/deep_state.ckpt, written after every block's passes); the config is the one
                     stored in the checkpoint, only --threads and --quiet may be given with it.
                     The result is bit-identical to a run that was never interrupted.
)";

const char* const kEvalHelp = R"(usage: softspike eval --config FILE --weights FILE [options]

Evaluates saved weights with plasticity off: presents the training set (to fit the read-outs) and the
test set, and reports both read-outs' test accuracy, event counts and timings in OUT/report.json.

options:
  --config FILE      JSON config; its network shape must match the checkpoint's
  --weights FILE     a checkpoint written by 'softspike train' (OUT/weights.ckpt; for a deep network,
                     OUT/deep_weights.ckpt: its frozen features feed the read-outs)
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
A deep network (network.layers) is counted per block (docs/model.md §10), priced under the tables that
price a MAC: with --learning its unsupervised phase, then in either case a frozen pass over the test set.
Writes OUT/report.json and OUT/report.html.

options:
  --config FILE      JSON config; required
  --weights FILE     start from these weights (a checkpoint written by 'softspike train': weights.ckpt, or
                     deep_weights.ckpt for a deep network)
  --learning         count the training pass (plasticity on) instead of evaluation
  --chip FILE        map the network onto a chip's cores (configs/chips/loihi_like.json, truenorth_like.json):
                     cores used, axons, synapses and weight memory of the fullest core, spike packets
                     delivered to cores per image and their energy, time steps to a decision. A neuron
                     whose fan-in, synapses or weights exceed a core is a config error (exit 3).
                     Single-layer networks only.
)";

const char* const kCompareHelp = R"(usage: softspike compare --config FILE [--forms spiking,rate] [options]

Trains the spiking network and its rate-model twin (docs/model.md §7: u = W x + b, y = softmax(u / T), the
same rule in its rate form, rate.* keys) from one config and seed, evaluates both read-outs of each on the
test set, then evaluates each form with the other's weights (compare.transfer) and the spike-trained
spiking model over three sweeps: compare.spike_budgets (the earliest spikes of the training code),
compare.input_spikes (the fixed-count code's spikes per image) and compare.output_draws (output draws per
image; 0 is the drive read-out): accuracy against synaptic events and draws. Writes OUT/report.json,
OUT/compare.csv, OUT/report.html and the weights (weights_spiking.ckpt, weights_rate.ckpt and, for
stacked rate layers, weights_rate_layerN.ckpt); prints the table on stdout.

options:
  --config FILE      JSON config; required
  --forms LIST       spiking, rate or spiking,rate (default): which forms to train
)";

const char* const kRobustnessHelp = R"(usage: softspike robustness --config FILE --weights FILE [options]

Tests SoftHebb's robustness claims against backpropagation. Fits the linear read-outs of the trained
weights in the rate form (and, with robustness.spiking, the spiking form) on the training set,
trains a backpropagation network of the same shape end to end on the same images (robustness.baseline_*),
then scores them on the test set under Gaussian pixel noise (robustness.noise_sigmas) and under FGSM and PGD
attacks in an L-infinity ball (robustness.attacks, robustness.epsilons, robustness.pgd_steps). Each model is
attacked through its own analytic gradients; the spiking form is shown the images attacked through its rate
form; each model is also scored on the images attacked through the other. The baseline's passes (up to
robustness.baseline_epochs) are chosen on a held-out robustness.baseline_validation_fraction of its images.
Then, for each robustness.training_sizes n, fresh networks learn from the first n training images only and
are scored clean. Writes OUT/report.json, OUT/robustness.csv and OUT/report.html (curves and the strongest
attack's images side by side); prints the table on stdout.

A deep network (network.layers) is attacked through its rate form, against a baseline of the same blocks
trained end to end; with robustness.spiking its spiking twin is shown the attacked images. data.test_images
limits the test images attacked.

options:
  --config FILE      JSON config; required
  --weights FILE     the weights to test, written by 'softspike train' (weights.ckpt, or deep_weights.ckpt
                     with network.layers); required
)";

// What the command line asks for: a pipeline, or a command's help.
struct CommandLine {
    PipelineRequest request;
    bool help = false;
};

// The command line as a pipeline request; a UsageError for anything it does not take.
CommandLine parse_arguments(int argc, char** argv) {
    CommandLine parsed;
    PipelineRequest& args = parsed.request;
    for (int i = 0; i < argc; ++i) {
        if (i > 0) args.command_line.push_back(' ');
        args.command_line.append(argv[i]);
    }
    if (argc < 2) throw UsageError("no command given");
    args.command = argv[1];
    if (args.command == "help" || args.command == "--help" || args.command == "-h") {
        args.command = "help";
        return parsed;
    }
    if (args.command != "train" && args.command != "eval" && args.command != "events" && args.command != "compare" &&
        args.command != "robustness" && args.command != "export-nir" && args.command != "run-nir")
        throw UsageError("unknown command '" + args.command + "'");
    int first_option = 2;
    if (args.command == "run-nir" && argc > 2 && std::string(argv[2]).rfind("--", 0) != 0) {
        args.nir_path = argv[2];
        first_option = 3;
    }
    for (int i = first_option; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw UsageError("option " + arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h")
            parsed.help = true;
        else if (arg == "--quiet")
            args.quiet = true;
        else if (arg == "--config")
            args.config_path = value();
        else if (arg == "--weights" &&
                 (args.command == "eval" || args.command == "events" || args.command == "robustness" ||
                  args.command == "export-nir"))
            args.weights_path = value();
        else if (arg == "--learning" && args.command == "events")
            args.learning = true;
        else if (arg == "--chip" && args.command == "events")
            args.chip_path = value();
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
        else if (arg == "--out" && args.command == "export-nir")
            args.nir_path = value();
        else if (arg == "--out")
            args.overrides.push_back("output.dir=" + nlohmann::json(value()).dump());
        else
            throw UsageError("unknown option '" + arg + "' for '" + args.command + "'");
    }
    if (parsed.help) return parsed;
    if (!args.resume_dir.empty()) {
        for (const std::string& o : args.overrides) {
            if (o.rfind("threads=", 0) != 0) {
                throw UsageError("--resume takes the config stored in the checkpoint: drop --set, --seed and --out");
            }
        }
        if (!args.config_path.empty()) {
            throw UsageError("--resume takes the config stored in the checkpoint: drop --config");
        }
        return parsed;
    }
    if (args.config_path.empty()) throw UsageError("'" + args.command + "' needs --config FILE");
    if (args.command == "eval" && args.weights_path.empty()) throw UsageError("'eval' needs --weights FILE");
    if (args.command == "robustness" && args.weights_path.empty()) {
        throw UsageError("'robustness' needs --weights FILE");
    }
    if (args.command == "export-nir" && (args.weights_path.empty() || args.nir_path.empty())) {
        throw UsageError("'export-nir' needs --weights FILE and --out FILE.nir");
    }
    if (args.command == "run-nir" && args.nir_path.empty()) {
        throw UsageError("'run-nir' needs the NIR file: softspike run-nir FILE.nir --config FILE");
    }
    return parsed;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const CommandLine parsed = parse_arguments(argc, argv);
        const PipelineRequest& args = parsed.request;
        if (args.command == "help") {
            std::cout << kMainHelp;
            return exit_ok;
        }
        if (parsed.help) {
            std::cout << (args.command == "train"        ? kTrainHelp
                          : args.command == "eval"       ? kEvalHelp
                          : args.command == "compare"    ? kCompareHelp
                          : args.command == "robustness" ? kRobustnessHelp
                          : args.command == "export-nir" ? kExportNirHelp
                          : args.command == "run-nir"    ? kRunNirHelp
                                                         : kEventsHelp);
            if (args.command != "export-nir") std::cout << kCommonOptions;
            return exit_ok;
        }
        FileSystemIo io(std::cout);
        run_pipeline(args, io);
        return exit_ok;
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
