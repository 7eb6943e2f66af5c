#include "report/report.hpp"

#include <cstdio>
#include <sstream>

#include "report/hardware_report.hpp"
#include "report/report_header.hpp"

namespace softspike {

namespace {

using nlohmann::json;

json counters_json(const EventCounters& c) {
    return {{"input_spikes", c.input_spikes},
            {"output_spikes", c.output_spikes},
            {"synaptic_events", c.synaptic_events},
            {"effective_acs", c.effective_acs},
            {"effective_macs", c.effective_macs},
            {"membrane_updates", c.membrane_updates},
            {"plasticity_updates", c.plasticity_updates},
            {"trace_updates", c.trace_updates},
            {"bias_updates", c.bias_updates}};
}

json per_image_json(const PhaseStats& s) {
    const double n = s.images > 0 ? static_cast<double>(s.images) : 1.0;
    const auto& c = s.counters;
    return {{"input_spikes", static_cast<double>(c.input_spikes) / n},
            {"output_spikes", static_cast<double>(c.output_spikes) / n},
            {"synaptic_events", static_cast<double>(c.synaptic_events) / n},
            {"membrane_updates", static_cast<double>(c.membrane_updates) / n},
            {"plasticity_updates", static_cast<double>(c.plasticity_updates) / n},
            {"trace_updates", static_cast<double>(c.trace_updates) / n}};
}

json phase_json(const PhaseStats& s, const std::vector<CostTable>& tables) {
    const double secs = s.seconds > 0.0 ? s.seconds : 1e-9;
    return {{"images", s.images},
            {"seconds", s.seconds},
            {"images_per_second", static_cast<double>(s.images) / secs},
            {"synaptic_events_per_second", static_cast<double>(s.counters.synaptic_events) / secs},
            {"counts", counters_json(s.counters)},
            {"per_image", per_image_json(s)},
            {"hardware", hardware_json(s.hardware, tables)}};
}

json confusion_json(std::span<const std::uint8_t> predictions, std::span<const std::uint8_t> labels,
                    std::size_t classes) {
    std::vector<std::vector<std::size_t>> matrix(classes, std::vector<std::size_t>(classes, 0));
    for (std::size_t i = 0; i < labels.size() && i < predictions.size(); ++i) ++matrix[labels[i]][predictions[i]];
    return matrix;  // row: true class, column: predicted class
}

}  // namespace

json linear_readout_l2_json(const ReadoutResult& readout) {
    json l2 = {{"used", readout.linear_readout_l2}};
    if (const auto& sel = readout.l2_selection) {
        l2["candidates"] = sel->candidates;
        l2["validation_accuracy"] = sel->validation_accuracy;
        l2["fit_images"] = sel->fit_samples;
        l2["validation_images"] = sel->validation_samples;
    }
    return l2;
}

json report_to_json(const RunReport& r) {
    json j = report_header(r.info);
    j["accuracy"] = {{"label_assignment", r.readout.label_assignment_accuracy},
                     {"linear_readout", r.readout.linear_readout_accuracy},
                     {"linear_readout_train", r.readout.linear_readout_train_accuracy}};
    j["confusion"] = {
        {"label_assignment", confusion_json(r.readout.label_assignment_predictions, r.test_labels, r.classes)},
        {"linear_readout", confusion_json(r.readout.linear_readout_predictions, r.test_labels, r.classes)}};
    j["silent_neurons_test"] = r.silent_neurons_test;
    j["linear_readout_l2"] = linear_readout_l2_json(r.readout);
    json phases;
    if (r.training) {
        phases["training"] = phase_json(r.training->stats, r.info.cost_tables);
        j["resumed_from_image"] = r.training->resumed_from;
        json curve = json::array();
        for (const auto& [images, acc] : r.training->running_accuracy) curve.push_back({images, acc});
        j["running_accuracy"] = curve;
        json linear = json::array();
        for (const auto& [images, acc] : r.training->running_accuracy_linear) linear.push_back({images, acc});
        j["running_accuracy_linear"] = linear;
    }
    phases["evaluation_train"] = phase_json(r.eval_train.stats, r.info.cost_tables);
    phases["evaluation_test"] = phase_json(r.eval_test.stats, r.info.cost_tables);
    j["phases"] = phases;
    j["timings_s"] = {{"load", r.info.load_seconds},
                      {"training", r.training ? r.training->stats.seconds : 0.0},
                      {"evaluation_train", r.eval_train.stats.seconds},
                      {"evaluation_test", r.eval_test.stats.seconds},
                      {"readout", r.readout.seconds},
                      {"total", r.total_seconds}};
    json rasters = json::array();
    for (const auto& raster : r.eval_test.rasters) {
        json spikes = json::array();
        for (const SpikeRecord& s : raster) spikes.push_back({s.time, s.neuron, s.input ? 1 : 0});
        rasters.push_back({{"columns", {"time_us", "neuron", "is_input"}}, {"spikes", spikes}});
    }
    if (!rasters.empty()) j["test_rasters"] = rasters;
    return j;
}

std::string summary_table(const RunReport& r) {
    std::ostringstream out;
    char line[200];
    auto row = [&](const std::string& name, const PhaseStats& s) {
        const double n = s.images > 0 ? static_cast<double>(s.images) : 1.0;
        std::snprintf(line, sizeof line, "%-18s %8zu %9.1f %9.0f %12.0f %12.0f %10.3g\n", name.c_str(), s.images,
                      s.seconds, static_cast<double>(s.images) / (s.seconds > 0 ? s.seconds : 1e-9),
                      static_cast<double>(s.counters.input_spikes) / n,
                      static_cast<double>(s.counters.synaptic_events) / n,
                      static_cast<double>(s.counters.synaptic_events) / (s.seconds > 0 ? s.seconds : 1e-9));
        out << line;
    };
    out << "phase                images   time(s)     img/s   in-spk/img   syn-ev/img   syn-ev/s\n";
    if (r.training) row("training", r.training->stats);
    row("eval (train set)", r.eval_train.stats);
    const char* evaluated = evaluation_set_name(r.info.config.data);
    row(std::string("eval (") + evaluated + " set)", r.eval_test.stats);
    std::snprintf(line, sizeof line,
                  "\n%s accuracy: linear read-out %.2f%%, label assignment %.2f%%  (linear read-out on train %.2f%%)\n",
                  evaluated, 100.0 * r.readout.linear_readout_accuracy, 100.0 * r.readout.label_assignment_accuracy,
                  100.0 * r.readout.linear_readout_train_accuracy);
    out << line;
    std::snprintf(line, sizeof line, "neurons silent on the test set: %zu of %zu\n", r.silent_neurons_test,
                  r.info.config.population.neurons);
    out << line;
    std::snprintf(line, sizeof line, "seed %llu, %zu threads, total %.1fs, peak RSS %.0f MiB\n",
                  static_cast<unsigned long long>(r.info.config.seed), r.info.threads, r.total_seconds, peak_rss_mib());
    out << line;
    return out.str();
}

}  // namespace softspike
