#pragma once
#include <optional>
#include <string>
#include <vector>

#include "chip/chip_description.hpp"
#include "chip/cost_table.hpp"
#include "core/dataset.hpp"
#include "network/network_model.hpp"
#include "rate/deep_weights.hpp"
#include "run/config.hpp"
#include "run/deep_training.hpp"
#include "run/nir_graph.hpp"
#include "run/pipeline_results.hpp"
#include "run/training_state.hpp"

namespace softspike {

// Which split of the data set a pipeline loads.
enum class DataSplit : std::uint8_t { train, test };

// Everything a pipeline reads from or writes to the outside world. run/ sits below io/ (file formats) and
// report/ (renderers) in the layer order, so the pipelines reach files only through this port;
// report/file_system_io.hpp implements it on the file system, and a test may implement it in memory.
// Inputs throw the typed errors of core/errors.hpp naming the file; every input is read and checked before
// open_output, so bad input leaves no output behind.
class PipelineIo {
public:
    virtual ~PipelineIo() = default;

    // The config file with --set overrides applied.
    virtual Config load_config(const std::string& path, const std::vector<std::string>& overrides) = 0;
    // The training checkpoint of the run whose output directory is `dir`.
    virtual ResumePoint load_resume_point(const std::string& dir) = 0;
    // The deep network's training checkpoint in `dir`, or nothing when `dir` has none (not a deep run).
    virtual std::optional<DeepResumePoint> load_deep_resume_point(const std::string& dir) = 0;
    // The cost tables at `paths`, or the shipped ones if `paths` is empty.
    virtual std::vector<CostTable> load_cost_tables(const std::vector<std::string>& paths) = 0;
    // A weights checkpoint.
    virtual NetworkModel load_weights(const std::string& path) = 0;
    // A deep network's weights file (deep_weights.ckpt).
    virtual DeepWeights load_deep_weights(const std::string& path) = 0;
    virtual Dataset load_dataset(const DataConfig& data, DataSplit split) = 0;
    // A NIR graph (io/nir_file).
    virtual NirGraph load_nir(const std::string& path) = 0;
    // A chip description (io/chip_file, configs/chips/*.json).
    virtual ChipDescription load_chip(const std::string& path) = 0;

    // Creates the output directory (and, for a resumed run, removes the temporaries a killed one left).
    virtual void open_output(const std::string& dir, bool resumed) = 0;
    // Every file below is written atomically into the output directory.
    virtual void save_training_state(const Config& config, const TrainingState& state) = 0;
    virtual void save_weights(const std::string& file, const NetworkModel& model) = 0;
    virtual void save_deep_training_state(const Config& config, const DeepTrainingState& state) = 0;
    virtual void save_deep_weights(const std::string& file, const DeepWeights& weights) = 0;
    // report.json, report.html, the summary on stdout, and with `export_npy` the NumPy arrays.
    virtual void write_run(const RunReport& report, const NetworkModel& trained, bool export_npy) = 0;
    virtual void write_events(const EventsReport& report) = 0;
    virtual void write_compare(const CompareReport& report) = 0;
    virtual void write_deep(const DeepReport& report) = 0;
    // report.json, robustness.csv, report.html and the summary on stdout.
    virtual void write_robustness(const RobustnessReport& report) = 0;
    // A NIR graph at `path` (a file, not in the output directory), written atomically; a line on stdout.
    virtual void save_nir(const std::string& path, const NirGraph& graph) = 0;
};

}  // namespace softspike
