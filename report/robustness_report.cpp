#include "report/robustness_report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "report/html_parts.hpp"
#include "report/png.hpp"

namespace softspike {

namespace {

std::vector<const RobustnessPoint*> points_of(const RobustnessResult& r, const std::string& perturbation) {
    std::vector<const RobustnessPoint*> out;
    for (const RobustnessPoint& p : r.points) {
        if (p.perturbation == perturbation) out.push_back(&p);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const RobustnessPoint* a, const RobustnessPoint* b) { return a->strength < b->strength; });
    return out;
}

std::string percent(double fraction) { return fraction < 0.0 ? std::string("-") : fmt("%.2f", 100.0 * fraction); }

// The frame both plots share: accuracy 0-100 % up, x positions given by the caller, a legend on the right.
struct Frame {
    double w = 580.0;
    double h = 260.0;
    double left = 46.0;
    double bottom = 34.0;
    double top = 12.0;
    double right = 190.0;
    std::size_t legend = 0;  // lines drawn so far

    [[nodiscard]] double y(double acc) const { return top + (h - top - bottom) * (1.0 - acc); }
    // x of a fraction f in [0, 1] of the plot's width.
    [[nodiscard]] double x(double f) const { return left + (w - left - right) * f; }
};

void open_frame(std::ostringstream& svg, const std::string& id, const Frame& f, const std::string& x_label) {
    svg << "<svg id=\"" << id << "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << f.w << "\" height=\"" << f.h
        << "\" viewBox=\"0 0 " << f.w << ' ' << f.h << "\">\n";
    for (int tick = 0; tick <= 10; tick += 2) {
        const double acc = tick / 10.0;
        svg << "<line x1=\"" << f.left << "\" x2=\"" << f.w - f.right << "\" y1=\"" << f.y(acc) << "\" y2=\""
            << f.y(acc) << "\" stroke=\"#eee\"/><text x=\"" << f.left - 6 << "\" y=\"" << f.y(acc) + 4
            << "\" font-size=\"11\" text-anchor=\"end\">" << tick * 10 << "%</text>\n";
    }
    svg << "<text x=\"" << (f.left + f.w - f.right) / 2 << "\" y=\"" << f.h - 4
        << "\" font-size=\"11\" text-anchor=\"middle\">" << escape(x_label) << "</text>\n";
}

void x_tick(std::ostringstream& svg, const Frame& f, double x, const std::string& text) {
    svg << "<text x=\"" << x << "\" y=\"" << f.h - f.bottom + 14 << "\" font-size=\"10\" text-anchor=\"middle\">"
        << escape(text) << "</text>\n";
}

// One model's line through (x, accuracy, point title) marks, and its legend entry.
struct Mark {
    double x;
    double accuracy;
    std::string title;
};
void draw_line(std::ostringstream& svg, Frame& f, const char* name, const char* colour, bool dashed,
               const std::vector<Mark>& marks) {
    const char* dash = dashed ? " stroke-dasharray=\"4 3\"" : "";
    svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\"" << dash << " points=\"";
    for (const Mark& m : marks) svg << m.x << ',' << f.y(m.accuracy) << ' ';
    svg << "\"><title>" << escape(name) << "</title></polyline>\n";
    for (const Mark& m : marks) {
        svg << "<circle cx=\"" << m.x << "\" cy=\"" << f.y(m.accuracy) << "\" r=\"2.5\" fill=\"" << colour
            << "\"><title>" << escape(name) << ", " << escape(m.title) << ": " << percent(m.accuracy)
            << " %</title></circle>\n";
    }
    const double at = 20.0 + 16.0 * static_cast<double>(f.legend++);
    svg << "<line x1=\"" << f.w - f.right + 8 << "\" x2=\"" << f.w - f.right + 26 << "\" y1=\"" << at << "\" y2=\""
        << at << "\" stroke=\"" << colour << "\" stroke-width=\"2\"" << dash << "/><text x=\"" << f.w - f.right + 30
        << "\" y=\"" << at + 4 << "\" font-size=\"10\">" << escape(name) << "</text>\n";
}

// A model's accuracy as a member of the plotted point type.
template <typename Point>
struct Series {
    const char* name;
    const char* colour;
    double Point::*accuracy;
    bool dashed;
};

// Accuracy (0-100 %) against the perturbation's strength (linear), one line per model.
std::string strength_plot(const RobustnessResult& r, const std::string& perturbation, const std::string& x_label) {
    const std::vector<const RobustnessPoint*> points = points_of(r, perturbation);
    if (points.empty()) return "";
    Frame f;
    const double x_max = std::max(1e-9, points.back()->strength);
    auto x = [&](double v) { return f.x(v / x_max); };
    std::ostringstream svg;
    open_frame(svg, "robustness-" + perturbation, f, x_label);
    double last_tick = -1e9;
    for (const RobustnessPoint* p : points) {
        if (x(p->strength) - last_tick < 24.0) continue;  // labels that would overlap: the point's title names it
        last_tick = x(p->strength);
        x_tick(svg, f, last_tick, fmt("%g", p->strength));
    }
    const std::vector<Series<RobustnessPoint>> series = {
        {"SoftHebb, rate form", "#1f77b4", &RobustnessPoint::softhebb_rate, false},
        {"SoftHebb, spiking form", "#2ca02c", &RobustnessPoint::softhebb_spiking, false},
        {"backprop baseline", "#d62728", &RobustnessPoint::baseline, false},
        {"SoftHebb on baseline's images", "#1f77b4", &RobustnessPoint::softhebb_on_baseline_images, true},
        {"baseline on SoftHebb's images", "#d62728", &RobustnessPoint::baseline_on_softhebb_images, true},
    };
    for (const auto& s : series) {
        if (points.front()->*s.accuracy < 0.0) continue;  // not measured for this perturbation
        std::vector<Mark> marks;
        for (const RobustnessPoint* p : points)
            marks.push_back({x(p->strength), p->*s.accuracy, fmt("%g", p->strength)});
        draw_line(svg, f, s.name, s.colour, s.dashed, marks);
    }
    svg << "</svg>\n";
    return svg.str();
}

// Clean accuracy against the number of training images (log x), one line per model.
std::string few_examples_plot(const RobustnessResult& r) {
    Frame f;
    double lo = 1e300;
    double hi = 0.0;
    for (const SampleEfficiencyPoint& p : r.sample_efficiency) {
        lo = std::min(lo, static_cast<double>(std::max<std::size_t>(p.images, 1)));
        hi = std::max(hi, static_cast<double>(p.images));
    }
    const double x0 = std::floor(std::log10(lo));
    const double x1 = std::max(x0 + 1.0, std::ceil(std::log10(hi)));
    auto x = [&](double v) { return f.x((std::log10(std::max(v, 1.0)) - x0) / (x1 - x0)); };
    std::ostringstream svg;
    open_frame(svg, "few-examples", f, "training images (log)");
    for (double e = x0; e <= x1 + 1e-9; e += 1.0)
        x_tick(svg, f, x(std::pow(10.0, e)), "1e" + std::to_string(static_cast<int>(e)));
    const std::vector<Series<SampleEfficiencyPoint>> series = {
        {"SoftHebb, rate form", "#1f77b4", &SampleEfficiencyPoint::softhebb_rate, false},
        {"SoftHebb, spiking form", "#2ca02c", &SampleEfficiencyPoint::softhebb_spiking, false},
        {"baseline, same passes", "#d62728", &SampleEfficiencyPoint::baseline_same_passes, true},
        {"baseline, more passes", "#d62728", &SampleEfficiencyPoint::baseline_more_passes, false},
    };
    for (const auto& s : series) {
        if (r.sample_efficiency.front().*s.accuracy < 0.0) continue;  // not run (the deep spiking form)
        std::vector<Mark> marks;
        for (const SampleEfficiencyPoint& p : r.sample_efficiency) {
            marks.push_back({x(static_cast<double>(p.images)), p.*s.accuracy, std::to_string(p.images) + " images"});
        }
        draw_line(svg, f, s.name, s.colour, s.dashed, marks);
    }
    svg << "</svg>\n";
    return svg.str();
}

std::string png_of(std::span<const float> plane, std::size_t rows, std::size_t cols, const std::string& alt) {
    std::vector<std::uint8_t> bytes(rows * cols);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(plane[i], 0.0F, 1.0F)));
    }
    return "<img class=\"digit\" alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," +
           base64(encode_png_grey(cols, rows, bytes)) + "\">";
}

// Three rows of images: the clean test images, attacked through SoftHebb, attacked through the baseline, each
// attacked image captioned with what its own target model predicted.
std::string attack_grid(const AttackGrid& g) {
    const std::size_t n = g.labels.size();
    if (n == 0) return "";
    const std::size_t plane = g.rows * g.cols;
    std::ostringstream html;
    html << "<table id=\"attack-grid\" class=\"grid\"><tr><th></th>";
    for (std::size_t s = 0; s < n; ++s) html << "<th>label " << static_cast<int>(g.labels[s]) << "</th>";
    html << "</tr>\n";
    const auto row = [&](const char* title, const std::vector<float>& images,
                         const std::vector<std::uint8_t>* predicted) {
        html << "<tr><th>" << title << "</th>";
        for (std::size_t s = 0; s < n; ++s) {
            const std::span<const float> image(images.data() + s * plane, plane);
            html << "<td>" << png_of(image, g.rows, g.cols, std::string(title) + " " + std::to_string(s));
            if (predicted != nullptr) {
                const bool right = (*predicted)[s] == g.labels[s];
                html << "<br><span class=\"" << (right ? "ok" : "fooled") << "\">" << static_cast<int>((*predicted)[s])
                     << "</span>";
            }
            html << "</td>";
        }
        html << "</tr>\n";
    };
    row("clean", g.clean, nullptr);
    row("vs SoftHebb", g.softhebb_images, &g.softhebb_predictions);
    row("vs baseline", g.baseline_images, &g.baseline_predictions);
    html << "</table>\n";
    return html.str();
}

}  // namespace

nlohmann::json robustness_to_json(const RobustnessResult& r) {
    nlohmann::json j;
    nlohmann::json points = nlohmann::json::array();
    for (const RobustnessPoint& p : r.points) {
        nlohmann::json q = {{"perturbation", p.perturbation},
                            {"strength", p.strength},
                            {"softhebb_rate_accuracy", p.softhebb_rate},
                            {"baseline_accuracy", p.baseline},
                            {"softhebb_perturbation_l2", p.softhebb_perturbation_l2},
                            {"baseline_perturbation_l2", p.baseline_perturbation_l2}};
        q["softhebb_spiking_accuracy"] =
            p.softhebb_spiking < 0.0 ? nlohmann::json(nullptr) : nlohmann::json(p.softhebb_spiking);
        if (p.perturbation != "noise") {
            q["softhebb_on_baseline_images_accuracy"] = p.softhebb_on_baseline_images;
            q["baseline_on_softhebb_images_accuracy"] = p.baseline_on_softhebb_images;
        }
        points.push_back(std::move(q));
    }
    j["points"] = std::move(points);
    j["test_images"] = r.test_images;
    j["model"] = r.model;
    j["baseline_model"] = r.baseline_model;
    j["evaluated_on"] = r.evaluation_set;
    j["softhebb_readout_l2"] = r.softhebb_readout_l2;
    j["softhebb_spiking_readout_l2"] = r.softhebb_spiking_readout_l2;
    j["baseline_epoch_loss"] = r.baseline_epoch_loss;
    j["baseline_epochs"] = r.baseline_epochs;
    j["baseline_validation_accuracy"] = r.baseline_validation_accuracy;
    j["baseline_train_accuracy"] = r.baseline_train_accuracy;
    j["spiking_synaptic_events_per_test_image"] = r.spiking_events_per_image;
    j["rate_macs_per_test_image"] = r.macs_per_image;
    j["seconds"] = {{"features", r.features_seconds},
                    {"baseline", r.baseline_seconds},
                    {"noise", r.noise_seconds},
                    {"attacks", r.attack_seconds},
                    {"sample_efficiency", r.sample_efficiency_seconds}};
    nlohmann::json few = nlohmann::json::array();
    for (const SampleEfficiencyPoint& p : r.sample_efficiency) {
        few.push_back({{"training_images", p.images},
                       {"softhebb_spiking_accuracy", p.softhebb_spiking},
                       {"softhebb_rate_accuracy", p.softhebb_rate},
                       {"baseline_same_passes_accuracy", p.baseline_same_passes},
                       {"baseline_more_passes_accuracy", p.baseline_more_passes},
                       {"baseline_more_passes_epochs", p.baseline_more_epochs},
                       {"seconds", p.seconds}});
    }
    j["sample_efficiency"] = std::move(few);
    j["sample_efficiency_passes_softhebb_and_baseline_same"] = r.baseline_same_passes_epochs;
    j["grid"] = {{"attack", r.grid.attack},
                 {"epsilon", r.grid.epsilon},
                 {"labels", r.grid.labels},
                 {"softhebb_predictions", r.grid.softhebb_predictions},
                 {"baseline_predictions", r.grid.baseline_predictions}};
    return j;
}

std::string robustness_csv(const RobustnessResult& r) {
    std::ostringstream csv;
    csv << "perturbation,strength,softhebb_rate,softhebb_spiking,baseline,softhebb_on_baseline_images,"
           "baseline_on_softhebb_images,softhebb_perturbation_l2,baseline_perturbation_l2\n";
    const auto cell = [](double v) { return v < 0.0 ? std::string() : fmt("%.4f", v); };
    for (const RobustnessPoint& p : r.points) {
        csv << p.perturbation << ',' << fmt("%g", p.strength) << ',' << cell(p.softhebb_rate) << ','
            << cell(p.softhebb_spiking) << ',' << cell(p.baseline) << ',' << cell(p.softhebb_on_baseline_images) << ','
            << cell(p.baseline_on_softhebb_images) << ',' << fmt("%.4f", p.softhebb_perturbation_l2) << ','
            << fmt("%.4f", p.baseline_perturbation_l2) << '\n';
    }
    return csv.str();
}

std::string robustness_table(const RobustnessResult& r) {
    std::ostringstream out;
    const std::string set = r.evaluation_set;
    if (!r.model.empty()) out << "SoftHebb: " << r.model << "; baseline: " << r.baseline_model << "\n";
    out << set << " accuracy (%) on " << r.test_images << " " << set
        << " images; attacks are white-box through each model's own "
        << "gradients (the spiking form is shown its rate form's images)\n";
    out << "perturbation  strength  SoftHebb-rate  SoftHebb-spiking  baseline  SoftHebb|baseline-imgs  "
           "baseline|SoftHebb-imgs\n";
    for (const RobustnessPoint& p : r.points) {
        char line[200];
        std::snprintf(line, sizeof line, "%-12s  %8g  %13s  %16s  %8s  %22s  %22s\n", p.perturbation.c_str(),
                      p.strength, percent(p.softhebb_rate).c_str(), percent(p.softhebb_spiking).c_str(),
                      percent(p.baseline).c_str(), percent(p.softhebb_on_baseline_images).c_str(),
                      percent(p.baseline_on_softhebb_images).c_str());
        out << line;
    }
    if (!r.sample_efficiency.empty()) {
        out << "learning from the first n training images (clean " << set << " accuracy, %; "
            << r.baseline_same_passes_epochs
            << " pass(es) for SoftHebb and baseline-same; baseline-more: passes chosen on a held-out tenth)\n";
        out << "       n  SoftHebb-spiking  SoftHebb-rate  baseline-same  baseline-more  (passes)\n";
        for (const SampleEfficiencyPoint& p : r.sample_efficiency) {
            char line[160];
            std::snprintf(line, sizeof line, "%8zu  %16s  %13s  %13s  %13s  (%zu)\n", p.images,
                          percent(p.softhebb_spiking).c_str(), percent(p.softhebb_rate).c_str(),
                          percent(p.baseline_same_passes).c_str(), percent(p.baseline_more_passes).c_str(),
                          p.baseline_more_epochs);
            out << line;
        }
    }
    std::string chosen;
    if (!r.baseline_validation_accuracy.empty()) {
        const auto best =
            std::max_element(r.baseline_validation_accuracy.begin(), r.baseline_validation_accuracy.end());
        chosen = " (the best of " + std::to_string(r.baseline_validation_accuracy.size()) +
                 " on a held-out part of the training images: " + percent(*best) + " %)";
    }
    out << "baseline: " << r.baseline_epochs << " passes" << chosen << ", final training loss "
        << (r.baseline_epoch_loss.empty() ? std::string("-") : fmt("%.4f", r.baseline_epoch_loss.back()))
        << ", training accuracy " << percent(r.baseline_train_accuracy) << " %; SoftHebb read-out l2 "
        << fmt("%g", r.softhebb_readout_l2) << "\n";
    out << "time: features " << fmt("%.1f", r.features_seconds) << " s, baseline " << fmt("%.1f", r.baseline_seconds)
        << " s, noise " << fmt("%.1f", r.noise_seconds) << " s, attacks " << fmt("%.1f", r.attack_seconds)
        << " s, few examples " << fmt("%.1f", r.sample_efficiency_seconds) << " s\n";
    return out.str();
}

std::string render_robustness_report(const std::string& command, const RobustnessResult& r) {
    std::ostringstream html;
    html << page_start("softspike robustness: SoftHebb against backpropagation");
    html << "<p><code>" << escape(command) << "</code></p>\n";
    html << "<style>img.digit{width:84px;image-rendering:pixelated}table.grid td{text-align:center}"
            ".fooled{color:#d62728;font-weight:bold}.ok{color:#2ca02c}</style>\n";
    html << "<p>Accuracy of SoftHebb (" << escape(r.model)
         << "; linear read-out) and of a backpropagation network of the same shape (" << escape(r.baseline_model)
         << ", trained end to end with cross-entropy), on " << r.test_images << " " << r.evaluation_set
         << " images. Attacks are white-box: each model is attacked through its own analytic gradients; the "
            "spiking form has no gradient and is shown the images attacked through its rate form. Dashed lines: each "
            "model on the images attacked through the other (transfer).</p>\n";
    html << "<h2>Gaussian pixel noise</h2>\n" << strength_plot(r, "noise", "noise sd (intensity units)");
    html << "<h2>FGSM</h2>\n" << strength_plot(r, "fgsm", "epsilon (L-infinity, intensity units)");
    html << "<h2>PGD</h2>\n" << strength_plot(r, "pgd", "epsilon (L-infinity, intensity units)");
    if (!r.sample_efficiency.empty()) {
        html << "<h2>Learning from few examples</h2>\n<p>Clean " << r.evaluation_set
             << " accuracy of fresh networks that learned from the "
                "first n training images only (their read-outs too). SoftHebb and the dashed baseline make "
             << r.baseline_same_passes_epochs
             << " pass(es) over them; the solid baseline as many as did best on a held-out tenth of them.</p>\n"
             << few_examples_plot(r);
    }
    if (!r.grid.labels.empty()) {
        html << "<h2>The strongest attack's images</h2>\n<p>" << escape(r.grid.attack) << " at epsilon "
             << fmt("%g", r.grid.epsilon)
             << ": the first test images, attacked through SoftHebb's rate form and through the baseline; under "
                "each, what the attacked model predicted (red: fooled).</p>\n"
             << attack_grid(r.grid);
    }
    html << "<h2>Table</h2>\n<pre>" << escape(robustness_table(r)) << "</pre>\n";
    html << page_end();
    return html.str();
}

}  // namespace softspike
