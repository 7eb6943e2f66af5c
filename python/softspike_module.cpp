// The Python module `softspike` (pybind11): the same pipelines as the command line, run through an in-memory
// port, with the results as Python objects and NumPy arrays that view softspike's own buffers (no copies).
// Like apps/, it only translates arguments and results; the work is run/'s.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "report/file_system_io.hpp"
#include "report/hardware_report.hpp"
#include "report/report_header.hpp"
#include "run/config.hpp"
#include "run/pipelines.hpp"

namespace py = pybind11;
using namespace softspike;

namespace {

// What a train or eval run returns to Python: the report and the weights it ran with, owned here so that
// the arrays handed out can view them for as long as Python holds any of them.
struct Run {
    RunReport report;
    NetworkModel model;
};

// What an events run returns.
struct Events {
    EventsReport report;
};

// The pipelines' port in memory: inputs are read as the program reads them (through FileSystemIo), outputs
// are kept instead of written; a model from Python stands in for a weights file.
class MemoryIo final : public PipelineIo {
public:
    explicit MemoryIo(std::optional<NetworkModel> weights) : files_(sink_), weights_(std::move(weights)) {}

    Config load_config(const std::string& path, const std::vector<std::string>& overrides) override {
        return files_.load_config(path, overrides);
    }
    ResumePoint load_resume_point(const std::string& dir) override { return files_.load_resume_point(dir); }
    std::optional<DeepResumePoint> load_deep_resume_point(const std::string& dir) override {
        return files_.load_deep_resume_point(dir);
    }
    std::vector<CostTable> load_cost_tables(const std::vector<std::string>& paths) override {
        return files_.load_cost_tables(paths);
    }
    NetworkModel load_weights(const std::string& path) override {
        return weights_ ? *weights_ : files_.load_weights(path);
    }
    DeepWeights load_deep_weights(const std::string& path) override { return files_.load_deep_weights(path); }
    Dataset load_dataset(const DataConfig& data, DataSplit split) override { return files_.load_dataset(data, split); }
    NirGraph load_nir(const std::string& path) override { return files_.load_nir(path); }
    ChipDescription load_chip(const std::string& path) override { return files_.load_chip(path); }

    void open_output(const std::string&, bool) override {}
    void save_training_state(const Config&, const TrainingState&) override {}
    void save_weights(const std::string&, const NetworkModel&) override {}
    void save_deep_training_state(const Config&, const DeepTrainingState&) override {}
    void save_deep_weights(const std::string&, const DeepWeights&) override {}
    void save_nir(const std::string& path, const NirGraph&) override {
        throw UsageError("the Python module does not export NIR files (" + path + "): use softspike export-nir");
    }
    void write_run(const RunReport& report, const NetworkModel& trained, bool) override {
        run = std::make_shared<Run>(Run{report, trained});
    }
    void write_events(const EventsReport& report) override { events = std::make_shared<Events>(Events{report}); }
    void write_compare(const CompareReport&) override { refuse("compare"); }
    void write_deep(const DeepReport&) override { refuse("a deep network"); }
    void write_robustness(const RobustnessReport&) override { refuse("robustness"); }

    std::shared_ptr<Run> run;
    std::shared_ptr<Events> events;

private:
    [[noreturn]] static void refuse(const std::string& what) {
        throw UsageError("the Python module runs train, eval and events of the single-layer network; " + what +
                         " runs from the command line");
    }
    std::ostringstream sink_;
    FileSystemIo files_;
    std::optional<NetworkModel> weights_;
};

py::object from_json(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }

// `array` made read-only (NumPy's own setflags): softspike's buffers are not Python's to change.
py::array read_only(py::array array) {
    array.attr("setflags")(py::arg("write") = false);
    return array;
}

// A read-only NumPy view of `data` whose base keeps `owner` alive.
template <typename T>
py::array view(const std::vector<T>& data, std::vector<py::ssize_t> shape, py::object owner) {
    return read_only(py::array_t<T>(shape, data.data(), std::move(owner)));
}

// A phase's rate vectors, (images, neurons).
py::array rates_view(const RateVectors& r, py::object owner) {
    return view(r.counts, {static_cast<py::ssize_t>(r.samples), static_cast<py::ssize_t>(r.neurons)}, std::move(owner));
}

// The weights a call names: a softspike.Run's model (returned), or a checkpoint path (set on `request`).
std::optional<NetworkModel> weights_of(const py::object& weights, PipelineRequest& request) {
    if (py::isinstance<Run>(weights)) {
        request.weights_path = "(a softspike.Run)";
        return weights.cast<Run&>().model;
    }
    if (!weights.is_none()) request.weights_path = weights.cast<std::string>();
    return std::nullopt;
}

// Runs `request` with the GIL released; the progress callback (if any) takes it back for each call.
void run_request(PipelineRequest& request, MemoryIo& io, const py::object& progress) {
    if (!progress.is_none()) {
        request.progress_sink = [progress](const std::string& phase, std::size_t done, std::size_t total,
                                           double running_accuracy, bool final) {
            const py::gil_scoped_acquire gil;
            progress(phase, done, total, running_accuracy < 0.0 ? py::object(py::none()) : py::float_(running_accuracy),
                     final);
        };
    }
    request.quiet = progress.is_none();
    const py::gil_scoped_release unlocked;
    run_pipeline(request, io);
    request.progress_sink = {};
}

PipelineRequest base_request(const std::string& command, const std::string& config,
                             const std::vector<std::string>& overrides) {
    PipelineRequest r;
    r.command = command;
    r.command_line = "python: softspike." + command + "(" + config + ")";
    r.config_path = config;
    r.overrides = overrides;
    r.overrides.push_back("output.dir=\"(python, in memory)\"");
    return r;
}

std::shared_ptr<Run> run_with(const std::string& command, const std::string& config,
                              const std::vector<std::string>& overrides, const py::object& weights,
                              const py::object& progress) {
    PipelineRequest request = base_request(command, config, overrides);
    MemoryIo io(weights_of(weights, request));
    run_request(request, io, progress);
    return io.run;
}

py::dict counts_of(const PhaseStats& stats, const std::vector<CostTable>& tables) {
    return from_json(hardware_json(stats.hardware, tables));
}

}  // namespace

PYBIND11_MODULE(softspike, m) {
    m.doc() = "softspike: event-driven soft winner-take-all networks with SoftHebb plasticity";
    m.attr("__version__") = SOFTSPIKE_VERSION;

    // softspike's typed errors as Python exceptions of the same names; each message names the file or key.
    py::register_exception<ConfigError>(m, "ConfigError", PyExc_ValueError);
    py::register_exception<DataError>(m, "DataError", PyExc_OSError);
    py::register_exception<CheckpointError>(m, "CheckpointError", PyExc_OSError);
    py::register_exception<OutputError>(m, "OutputError", PyExc_OSError);
    py::register_exception<UsageError>(m, "UsageError", PyExc_ValueError);

    m.def(
        "load_config",
        [](const std::string& path, const std::vector<std::string>& overrides) {
            MemoryIo io(std::nullopt);
            return from_json(config_to_json(io.load_config(path, overrides)));
        },
        py::arg("path"), py::arg("overrides") = std::vector<std::string>{},
        "The config at `path` with `overrides` (\"key=value\", as --set takes them) applied and checked, as a dict "
        "with every key.");

    py::class_<Run, std::shared_ptr<Run>>(m, "Run", "A trained or evaluated network and what its run measured.")
        .def_property_readonly(
            "weights",
            [](py::object self) {
                const Projection& w = self.cast<Run&>().model.weights;
                return view(w.weights(), {static_cast<py::ssize_t>(w.sources()), static_cast<py::ssize_t>(w.targets())}, self);
            },
            "float32 (inputs, neurons), a read-only view of softspike's weights")
        .def_property_readonly(
            "biases",
            [](py::object self) {
                const std::vector<float>& b = self.cast<Run&>().model.biases;
                return view(b, {static_cast<py::ssize_t>(b.size())}, self);
            },
            "float32 (neurons,)")
        .def_property_readonly(
            "rates_train", [](py::object self) { return rates_view(self.cast<Run&>().report.eval_train.rates, self); },
            "float32 (training images, neurons): the rate vector of each training image, frozen pass")
        .def_property_readonly(
            "rates_test", [](py::object self) { return rates_view(self.cast<Run&>().report.eval_test.rates, self); },
            "float32 (test images, neurons)")
        .def_property_readonly(
            "test_labels",
            [](py::object self) {
                const std::vector<std::uint8_t>& l = self.cast<Run&>().report.test_labels;
                return view(l, {static_cast<py::ssize_t>(l.size())}, self);
            },
            "uint8 (test images,)")
        .def_property_readonly(
            "rasters",
            [](py::object self) {
                // SpikeRecord as a structured dtype over the records themselves.
                py::list out;
                py::dict fields;
                fields["names"] = py::make_tuple("time", "neuron", "input");
                fields["formats"] = py::make_tuple("<i8", "<u4", "?");
                fields["offsets"] = py::make_tuple(offsetof(SpikeRecord, time), offsetof(SpikeRecord, neuron),
                                                   offsetof(SpikeRecord, input));
                fields["itemsize"] = sizeof(SpikeRecord);
                const py::dtype dtype = py::dtype::from_args(fields);
                for (const std::vector<SpikeRecord>& raster : self.cast<Run&>().report.eval_test.rasters) {
                    out.append(read_only(py::array(dtype, {static_cast<py::ssize_t>(raster.size())},
                                                   {static_cast<py::ssize_t>(sizeof(SpikeRecord))}, raster.data(), self)));
                }
                return out;
            },
            "the spike rasters of the first output.raster_samples test images: structured arrays (time in ticks, "
            "neuron, input)")
        .def_property_readonly("accuracy",
                               [](const Run& r) {
                                   py::dict d;
                                   d["linear_readout"] = r.report.readout.linear_readout_accuracy;
                                   d["label_assignment"] = r.report.readout.label_assignment_accuracy;
                                   d["linear_readout_train"] = r.report.readout.linear_readout_train_accuracy;
                                   return d;
                               })
        .def_property_readonly("counts",
                               [](const Run& r) {
                                   py::dict d;
                                   const auto& tables = r.report.info.cost_tables;
                                   if (r.report.training) d["training"] = counts_of(r.report.training->stats, tables);
                                   d["evaluation_train"] = counts_of(r.report.eval_train.stats, tables);
                                   d["evaluation_test"] = counts_of(r.report.eval_test.stats, tables);
                                   return d;
                               },
                               "per phase (training, evaluation_train, evaluation_test): exact counts, NeuroBench metrics and energy "
                               "under every cost table, as report.json's phases.*.hardware")
        .def_property_readonly("config", [](const Run& r) { return from_json(config_to_json(r.report.info.config)); });

    py::class_<Events, std::shared_ptr<Events>>(m, "Events", "What softspike.count_events counted.")
        .def_property_readonly("spiking",
                               [](const Events& e) { return from_json(hardware_json(e.report.spiking, e.report.info.cost_tables)); })
        .def_property_readonly("rate_form",
                               [](const Events& e) { return from_json(hardware_json(e.report.rate, e.report.arithmetic_tables)); })
        .def_property_readonly("phase", [](const Events& e) { return e.report.phase; });

    m.def(
        "train",
        [](const std::string& config, const std::vector<std::string>& overrides, const py::object& progress) {
            return run_with("train", config, overrides, py::none(), progress);
        },
        py::arg("config"), py::arg("overrides") = std::vector<std::string>{}, py::arg("progress") = py::none(),
        "Trains as `softspike train --config CONFIG --set ...` does and evaluates both read-outs. `progress`, if "
        "given, is called as progress(phase, done, total, running_accuracy or None, final).");
    m.def(
        "evaluate",
        [](const std::string& config, const py::object& weights, const std::vector<std::string>& overrides,
           const py::object& progress) { return run_with("eval", config, overrides, weights, progress); },
        py::arg("config"), py::arg("weights"), py::arg("overrides") = std::vector<std::string>{},
        py::arg("progress") = py::none(),
        "Evaluates frozen weights (a weights.ckpt path or a softspike.Run) as `softspike eval` does.");
    m.def(
        "count_events",
        [](const std::string& config, const py::object& weights, bool learning, const std::vector<std::string>& overrides,
           const py::object& progress) {
            PipelineRequest request = base_request("events", config, overrides);
            request.learning = learning;
            MemoryIo io(weights_of(weights, request));
            run_request(request, io, progress);
            return io.events;
        },
        py::arg("config"), py::arg("weights") = py::none(), py::arg("learning") = false,
        py::arg("overrides") = std::vector<std::string>{}, py::arg("progress") = py::none(),
        "Counts every operation of one phase as `softspike events` does.");
}
