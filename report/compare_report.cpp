#include "report/compare_report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <tuple>

namespace softspike {

namespace {

const ComparePoint* find_point(const CompareResult& r, const std::string& form, const std::string& weights) {
    for (const ComparePoint& p : r.points) {
        if (p.form == form && p.weights == weights) return &p;
    }
    return nullptr;
}

nlohmann::json point_json(const ComparePoint& p) {
    nlohmann::json j = {{"form", p.form},
                        {"weights", p.weights},
                        {"linear_accuracy", p.linear_accuracy},
                        {"linear_train_accuracy", p.linear_train_accuracy},
                        {"readout_l2", p.readout_l2},
                        {"label_assignment_accuracy", p.label_assignment_accuracy},
                        {"eval_seconds", p.eval_seconds}};
    if (!p.setting.empty()) {  // a deep network's point
        if (!p.sweep.empty()) {
            j["sweep"] = p.sweep;
            j["budget"] = p.budget;
        }
        j["setting"] = p.setting;
        j["per_image"] = {{"input_spikes", p.input_spikes},
                          {"output_spikes", p.output_spikes},
                          {"synaptic_events", p.synaptic_events},
                          {"effective_ops", p.effective_ops},
                          {"macs", p.macs},
                          {"per_block", p.block_ops}};
        return j;
    }
    if (p.form == "spiking") {
        if (!p.sweep.empty()) j["sweep"] = p.sweep;
        j["spike_budget"] = p.spike_budget;
        j["spikes_per_image"] = p.spikes_per_image;
        j["signal"] = p.signal;
        j["per_image"] = {{"input_spikes", p.input_spikes},
                          {"output_spikes", p.output_spikes},
                          {"synaptic_events", p.synaptic_events},
                          {"effective_acs", p.effective_ops}};
    } else {
        j["per_image"] = {{"macs", p.macs}, {"effective_macs", p.effective_ops}};
    }
    return j;
}

std::string number(double v, int precision) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", precision, v);
    return buffer;
}

}  // namespace

const ComparePoint* cheapest_sweep_point_within(const CompareResult& result, double margin) {
    const ComparePoint* rate = find_point(result, "rate", "rate-trained");
    if (rate == nullptr) return nullptr;
    const ComparePoint* best = nullptr;
    for (const ComparePoint& p : result.sweep) {
        if (p.linear_accuracy + margin < rate->linear_accuracy) continue;
        if (best == nullptr ||
            std::tie(p.synaptic_events, p.output_spikes) < std::tie(best->synaptic_events, best->output_spikes)) {
            best = &p;
        }
    }
    return best;
}

std::string point_setting(const ComparePoint& p) {
    if (!p.setting.empty()) return p.setting;
    if (p.form != "spiking") return "-";
    std::string s = p.spikes_per_image > 0 ? std::to_string(p.spikes_per_image) + " spikes/img" : "training code";
    if (p.spike_budget > 0) s += ", budget " + std::to_string(p.spike_budget);
    s += p.signal == "drive" ? ", drive" : ", " + number(p.output_spikes, 0) + " draws";
    return s;
}

nlohmann::json compare_to_json(const CompareResult& r) {
    nlohmann::json j;
    j["training"] = nlohmann::json::array();
    for (const CompareTraining& t : r.training) {
        nlohmann::json per_image = {{"plasticity_updates", t.plasticity_updates}};
        if (t.form == "spiking") {
            per_image["synaptic_events"] = t.synaptic_events;
        } else {
            per_image["macs"] = t.synaptic_events;
            per_image["plasticity_macs"] = t.plasticity_macs;
        }
        j["training"].push_back(
            {{"form", t.form},
             {"images", t.images},
             {"seconds", t.seconds},
             {"images_per_second", t.seconds > 0.0 ? static_cast<double>(t.images) / t.seconds : 0.0},
             {"per_image", per_image},
             {"running_accuracy", t.running_accuracy}});
    }
    j["points"] = nlohmann::json::array();
    for (const ComparePoint& p : r.points) j["points"].push_back(point_json(p));
    j["sweep"] = nlohmann::json::array();
    for (const ComparePoint& p : r.sweep) j["sweep"].push_back(point_json(p));
    const ComparePoint* spiking = find_point(r, "spiking", "spike-trained");
    const ComparePoint* rate = find_point(r, "rate", "rate-trained");
    if (spiking != nullptr && rate != nullptr) {
        j["gap_percentage_points"] = {
            {"linear", 100.0 * (rate->linear_accuracy - spiking->linear_accuracy)},
            {"label_assignment", 100.0 * (rate->label_assignment_accuracy - spiking->label_assignment_accuracy)}};
    } else {
        j["gap_percentage_points"] = nullptr;
    }
    const ComparePoint* cheapest = cheapest_sweep_point_within(r, 0.01);
    j["cheapest_sweep_point_within_1pp"] = cheapest != nullptr ? point_json(*cheapest) : nlohmann::json(nullptr);
    return j;
}

std::string compare_csv(const CompareResult& r) {
    std::ostringstream out;
    out << "set,form,weights,spike_budget,spikes_per_image,signal,output_spikes_per_image,linear_accuracy,label_"
           "assignment_accuracy,input_spikes_per_image,"
           "synaptic_events_per_image,effective_ops_per_image,macs_per_image,eval_seconds\n";
    auto row = [&](const char* set, const ComparePoint& p) {
        out << set << ',' << p.form << ',' << p.weights << ',' << p.spike_budget << ',' << p.spikes_per_image << ','
            << p.signal << ',' << number(p.output_spikes, 1) << ',' << number(p.linear_accuracy, 4) << ','
            << number(p.label_assignment_accuracy, 4) << ',' << number(p.input_spikes, 1) << ','
            << number(p.synaptic_events, 1) << ',' << number(p.effective_ops, 1) << ',' << number(p.macs, 1) << ','
            << number(p.eval_seconds, 3) << '\n';
    };
    for (const ComparePoint& p : r.points) row("main", p);
    for (const ComparePoint& p : r.sweep) row(p.sweep.c_str(), p);
    return out.str();
}

std::string compare_table(const CompareResult& r) {
    std::ostringstream out;
    out << "training            images   seconds   img/s   ops/img (syn ev or MACs)   plasticity upd/img\n";
    for (const CompareTraining& t : r.training) {
        char line[200];
        std::snprintf(line, sizeof line, "  %-16s %8llu %9.1f %7.0f %26.0f %20.0f\n", t.form.c_str(),
                      static_cast<unsigned long long>(t.images), t.seconds,
                      t.seconds > 0 ? static_cast<double>(t.images) / t.seconds : 0.0, t.synaptic_events,
                      t.plasticity_updates);
        out << line;
    }
    out << "test                        evaluation                      linear   label   input spk/img   syn ev/img    "
           "MACs/img\n";
    auto row = [&](const ComparePoint& p) {
        char line[240];
        std::snprintf(line, sizeof line, "  %-8s %-15s %-30s %7.2f%% %6.2f%% %15.0f %12.0f %11.0f\n", p.form.c_str(),
                      p.weights.c_str(), point_setting(p).c_str(), 100.0 * p.linear_accuracy,
                      100.0 * p.label_assignment_accuracy, p.input_spikes, p.synaptic_events, p.macs);
        out << line;
    };
    for (const ComparePoint& p : r.points) row(p);
    if (!r.sweep.empty()) {
        out << (r.sweep.front().setting.empty()
                    ? "sweeps (spike-trained spiking model): spike budget, input spikes per image, output draws\n"
                    : "sweeps (deep, spiking form): one map's budget at a time, the others as configured\n");
        for (const ComparePoint& p : r.sweep) row(p);
    }
    const ComparePoint* cheapest = cheapest_sweep_point_within(r, 0.01);
    if (find_point(r, "rate", "rate-trained") != nullptr && !r.sweep.empty()) {
        out << "cheapest swept evaluation within 1 point of the rate model (linear): "
            << (cheapest != nullptr
                    ? point_setting(*cheapest) + ", " + number(cheapest->synaptic_events, 0) + " synaptic events/img"
                    : std::string("none of those swept"))
            << "\n";
    }
    return out.str();
}

}  // namespace softspike
