#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "run/pipeline_io.hpp"

namespace softspike {

// The pipelines' port (run/pipeline_io.hpp) on the file system: inputs through io/ (config files, IDX data,
// checkpoints, cost tables), outputs rendered by report/ and written atomically into the output directory;
// summaries go to `summary` (stdout for the program). It sits in report/, the one library layer that sees
// both io/ and the renderers.
class FileSystemIo final : public PipelineIo {
public:
    explicit FileSystemIo(std::ostream& summary) : summary_(summary) {}

    Config load_config(const std::string& path, const std::vector<std::string>& overrides) override;
    ResumePoint load_resume_point(const std::string& dir) override;
    std::optional<DeepResumePoint> load_deep_resume_point(const std::string& dir) override;
    std::vector<CostTable> load_cost_tables(const std::vector<std::string>& paths) override;
    NetworkModel load_weights(const std::string& path) override;
    DeepWeights load_deep_weights(const std::string& path) override;
    Dataset load_dataset(const DataConfig& data, DataSplit split) override;

    void open_output(const std::string& dir, bool resumed) override;
    void save_training_state(const Config& config, const TrainingState& state) override;
    void save_weights(const std::string& file, const NetworkModel& model) override;
    void save_deep_training_state(const Config& config, const DeepTrainingState& state) override;
    void save_deep_weights(const std::string& file, const DeepWeights& weights) override;
    void save_nir(const std::string& path, const NirGraph& graph) override;
    NirGraph load_nir(const std::string& path) override;
    ChipDescription load_chip(const std::string& path) override;
    void write_run(const RunReport& report, const NetworkModel& trained, bool export_npy) override;
    void write_events(const EventsReport& report) override;
    void write_compare(const CompareReport& report) override;
    void write_deep(const DeepReport& report) override;
    void write_robustness(const RobustnessReport& report) override;

private:
    std::ostream& summary_;
    std::filesystem::path out_;
};

}  // namespace softspike
