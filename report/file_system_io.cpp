#include "report/file_system_io.hpp"

#include "io/nir_file.hpp"

#include "core/dense_kernels.hpp"
#include "core/errors.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/chip_file.hpp"
#include "io/config_file.hpp"
#include "io/cost_table_file.hpp"
#include "io/dataset_loader.hpp"
#include "io/deep_checkpoint.hpp"
#include "io/deep_training_checkpoint.hpp"
#include "io/npy.hpp"
#include "io/training_checkpoint.hpp"
#include "report/chip_mapping_report.hpp"
#include "report/compare_report.hpp"
#include "report/deep_html_report.hpp"
#include "report/deep_report.hpp"
#include "report/hardware_report.hpp"
#include "report/html_report.hpp"
#include "report/report.hpp"
#include "report/report_header.hpp"
#include "report/robustness_report.hpp"

namespace softspike {

namespace {

constexpr const char* kTrainingStateFile = "training_state.ckpt";
constexpr const char* kDeepStateFile = "deep_state.ckpt";

// --export-npy: what a user wants to load in numpy, in numpy's own format.
void export_npy(const std::filesystem::path& out, const RunReport& r, const NetworkModel& model) {
    const auto save = [&](const char* name, const NpyArray& array) {
        write_file_atomically(out / name, encode_npy(array));
    };
    save("weights.npy", npy_float32({model.weights.sources(), model.weights.targets()}, model.weights.weights()));
    save("biases.npy", npy_float32({model.biases.size()}, model.biases));
    save("rates_train.npy",
         npy_float32({r.eval_train.rates.samples, r.eval_train.rates.neurons}, r.eval_train.rates.counts));
    save("rates_test.npy",
         npy_float32({r.eval_test.rates.samples, r.eval_test.rates.neurons}, r.eval_test.rates.counts));
    save("labels_test.npy", npy_uint8({r.test_labels.size()}, r.test_labels));
    save("labels_train.npy", npy_uint8({r.train_labels.size()}, r.train_labels));
}

}  // namespace

Config FileSystemIo::load_config(const std::string& path, const std::vector<std::string>& overrides) {
    return softspike::load_config(path, overrides);
}

ResumePoint FileSystemIo::load_resume_point(const std::string& dir) {
    return load_training_checkpoint(std::filesystem::path(dir) / kTrainingStateFile);
}

std::optional<DeepResumePoint> FileSystemIo::load_deep_resume_point(const std::string& dir) {
    const std::filesystem::path path = std::filesystem::path(dir) / kDeepStateFile;
    if (!std::filesystem::exists(path)) return std::nullopt;
    return load_deep_training_checkpoint(path);
}

ChipDescription FileSystemIo::load_chip(const std::string& path) { return load_chip_description(path); }

std::vector<CostTable> FileSystemIo::load_cost_tables(const std::vector<std::string>& paths) {
    if (paths.empty()) return softspike::load_cost_tables(default_cost_table_dir());
    std::vector<CostTable> tables;
    for (const std::string& path : paths) tables.push_back(load_cost_table(path));
    return tables;
}

NetworkModel FileSystemIo::load_weights(const std::string& path) { return load_checkpoint(path); }

DeepWeights FileSystemIo::load_deep_weights(const std::string& path) { return load_deep_checkpoint(path); }

Dataset FileSystemIo::load_dataset(const DataConfig& data, DataSplit split) {
    return load_configured_dataset(data, split == DataSplit::train);
}

void FileSystemIo::open_output(const std::string& dir, bool resumed) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw OutputError("cannot create output directory '" + dir + "': " + ec.message());
    out_ = dir;
    if (resumed) remove_stale_temporaries(out_);
}

void FileSystemIo::save_training_state(const Config& config, const TrainingState& state) {
    save_training_checkpoint(out_ / kTrainingStateFile, config, state);
}

void FileSystemIo::save_weights(const std::string& file, const NetworkModel& model) {
    save_checkpoint(out_ / file, model);
}

void FileSystemIo::save_deep_training_state(const Config& config, const DeepTrainingState& state) {
    save_deep_training_checkpoint(out_ / kDeepStateFile, config, state);
}

void FileSystemIo::save_deep_weights(const std::string& file, const DeepWeights& weights) {
    save_deep_checkpoint(out_ / file, weights);
}

NirGraph FileSystemIo::load_nir(const std::string& path) { return read_nir_file(path); }

void FileSystemIo::save_nir(const std::string& path, const NirGraph& graph) {
    write_nir_file(path, graph);
    summary_ << "NIR graph (" << graph.nodes.size() << " nodes, " << graph.edges.size() << " edges): " << path << "\n";
}

void FileSystemIo::write_run(const RunReport& report, const NetworkModel& trained, bool npy) {
    write_file_atomically(out_ / "report.json", report_to_json(report).dump(2) + "\n");
    write_file_atomically(out_ / "report.html", render_run_report(report, trained, report.pixels_per_image));
    if (npy) export_npy(out_, report, trained);
    summary_ << summary_table(report) << "report: " << (out_ / "report.json").string() << " and report.html\n";
}

void FileSystemIo::write_robustness(const RobustnessReport& r) {
    nlohmann::json j = robustness_to_json(r.result);
    j.update(report_header(r.info));
    j["weights"] = r.weights_path;
    j["openblas_core"] = blas_core();
    j["load_seconds"] = r.info.load_seconds;
    j["total_seconds"] = r.total_seconds;
    write_file_atomically(out_ / "report.json", j.dump(2) + "\n");
    write_file_atomically(out_ / "robustness.csv", robustness_csv(r.result));
    write_file_atomically(out_ / "report.html", render_robustness_report(r.info.command, r.result));
    summary_ << robustness_table(r.result) << "report: " << (out_ / "report.json").string()
             << ", robustness.csv and report.html\n";
}

void FileSystemIo::write_deep(const DeepReport& r) {
    write_file_atomically(out_ / "report.json", deep_report_to_json(r).dump(2) + "\n");
    write_file_atomically(out_ / "report.html", render_deep_report(r));
    summary_ << deep_summary(r) << "report: " << (out_ / "report.json").string() << " and report.html\n";
}

void FileSystemIo::write_events(const EventsReport& r) {
    nlohmann::json j = report_header(r.info);
    j["phase"] = r.phase;
    j["weights"] = r.weights;
    j["seconds"] = r.seconds;
    j["spiking"] = hardware_json(r.spiking, r.info.cost_tables);
    j["rate_form_by_formula"] = hardware_json(r.rate, r.arithmetic_tables);
    if (r.chip && r.mapping) j["chip_mapping"] = chip_mapping_json(*r.chip, *r.mapping);
    j["total_seconds"] = r.total_seconds;
    write_file_atomically(out_ / "report.json", j.dump(2) + "\n");
    write_file_atomically(out_ / "report.html", render_events_report(r.info.command, r.chip_weights, r.pixels_per_image,
                                                                     {{"spiking, " + r.phase, r.spiking},
                                                                      {"rate form by formula, " + r.phase, r.rate}},
                                                                     r.info.cost_tables));
    summary_ << hardware_table("spiking, " + r.phase, r.spiking, r.info.cost_tables) << "\n"
             << hardware_table("rate form by formula, " + r.phase, r.rate, r.arithmetic_tables);
    if (r.chip && r.mapping) summary_ << "\n" << chip_mapping_table(*r.chip, *r.mapping);
    summary_ << "report: " << (out_ / "report.json").string() << "\n";
}

void FileSystemIo::write_compare(const CompareReport& r) {
    nlohmann::json j = compare_to_json(r.result);
    j.update(report_header(r.info));
    j["rate_learning_rate"] = r.rate_learning_rate;
    if (r.result.rate) j["openblas_core"] = blas_core();
    j["load_seconds"] = r.info.load_seconds;
    j["total_seconds"] = r.total_seconds;
    write_file_atomically(out_ / "report.json", j.dump(2) + "\n");
    write_file_atomically(out_ / "compare.csv", compare_csv(r.result));
    // Deep: the first block's kernels (each a kernel x kernel patch per input channel); else the first layer.
    const std::optional<DeepWeights>& deep = r.result.deep_spiking ? r.result.deep_spiking : r.result.deep_rate;
    const NetworkModel& shown = deep               ? deep->blocks.front().kernels
                                : r.result.spiking ? r.result.spiking->model
                                                   : r.result.rate->layers.front();
    write_file_atomically(out_ / "report.html",
                          render_compare_report(r.info.command, r.result, shown, r.pixels_per_image));
    summary_ << compare_table(r.result) << "report: " << (out_ / "report.json").string()
             << ", compare.csv and report.html\n";
}

}  // namespace softspike
