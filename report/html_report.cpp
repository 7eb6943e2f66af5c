#include "report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "report/compare_report.hpp"
#include "report/html_parts.hpp"
#include "report/png.hpp"

namespace softspike {

namespace {

// Each neuron's incoming weights as a tile (side x side, ON minus OFF for centred inputs), in a grid; grey
// is zero, white the tile's largest positive weight, black its largest negative.
std::string receptive_fields(const NetworkModel& model, std::size_t pixels) {
    const auto side = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(pixels))));
    const std::size_t n = model.weights.targets();
    if (side * side != pixels || n == 0) return "<p>(receptive fields need square images)</p>\n";
    const bool on_off = model.weights.sources() == 2 * pixels;
    const auto cols = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    const std::size_t rows = (n + cols - 1) / cols;
    const std::size_t cell = side + 1;
    const std::size_t width = cols * cell + 1;
    const std::size_t height = rows * cell + 1;
    std::vector<std::uint8_t> image(width * height, 255);
    std::vector<float> tile(pixels);
    for (std::size_t k = 0; k < n; ++k) {
        float largest = 0.0F;
        for (std::size_t p = 0; p < pixels; ++p) {
            tile[p] = model.weights.at(p, k) - (on_off ? model.weights.at(pixels + p, k) : 0.0F);
            largest = std::max(largest, std::abs(tile[p]));
        }
        const std::size_t x0 = (k % cols) * cell + 1;
        const std::size_t y0 = (k / cols) * cell + 1;
        for (std::size_t p = 0; p < pixels; ++p) {
            const float v = largest > 0.0F ? tile[p] / largest : 0.0F;
            image[(y0 + p / side) * width + x0 + p % side] =
                static_cast<std::uint8_t>(std::lround(127.5F + 127.5F * v));
        }
    }
    return "<img class=\"fields\" id=\"receptive-fields\" alt=\"receptive fields of " + std::to_string(n) +
           " neurons\" src=\"data:image/png;base64," + base64(encode_png_grey(width, height, image)) + "\">\n";
}

using Curve = std::vector<std::pair<std::uint64_t, double>>;

// Running accuracies (one line per named curve: blue, then orange) and final accuracies (dashed).
std::string accuracy_curve(const std::vector<std::pair<std::string, Curve>>& curves,
                           const std::vector<std::pair<std::string, double>>& finals) {
    const double w = 640;
    const double h = 260;
    const double left = 50;
    const double bottom = 30;
    double x_max = 1.0;
    for (const auto& [name, curve] : curves) {
        if (!curve.empty()) x_max = std::max(x_max, static_cast<double>(curve.back().first));
    }
    auto x = [&](double images) { return left + (w - left - 10) * images / x_max; };
    auto y = [&](double acc) { return (h - bottom) - (h - bottom - 10) * acc; };
    std::ostringstream svg;
    svg << "<svg id=\"running-accuracy\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
        << "\" viewBox=\"0 0 " << w << ' ' << h << "\">\n";
    for (int i = 0; i <= 10; i += 2) {
        const double acc = i / 10.0;
        svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << y(acc) << "\" y2=\"" << y(acc)
            << "\" stroke=\"#eee\"/><text x=\"" << left - 6 << "\" y=\"" << y(acc) + 4
            << "\" font-size=\"11\" text-anchor=\"end\">" << i * 10 << "%</text>\n";
    }
    svg << "<text x=\"" << w - 10 << "\" y=\"" << h - 8
        << "\" font-size=\"11\" text-anchor=\"end\">images seen: " << static_cast<std::uint64_t>(x_max) << "</text>\n";
    const char* lines[] = {"#1f77b4", "#ff7f0e"};
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const auto& [name, curve] = curves[c];
        if (curve.empty()) continue;
        svg << "<polyline fill=\"none\" stroke=\"" << lines[c % 2] << "\" stroke-width=\"1.5\" points=\"";
        for (const auto& [images, acc] : curve) svg << x(static_cast<double>(images)) << ',' << y(acc) << ' ';
        svg << "\"><title>" << escape(name) << "</title></polyline>\n";
        if (curves.size() > 1) {
            svg << "<text x=\"" << w - 12 << "\" y=\"" << 24 + 14 * static_cast<double>(c)
                << "\" font-size=\"11\" text-anchor=\"end\" fill=\"" << lines[c % 2] << "\">" << escape(name)
                << "</text>\n";
        }
    }
    const char* colours[] = {"#d62728", "#2ca02c", "#9467bd"};
    for (std::size_t i = 0; i < finals.size(); ++i) {
        svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << y(finals[i].second) << "\" y2=\""
            << y(finals[i].second) << "\" stroke=\"" << colours[i % 3] << "\" stroke-dasharray=\"5,4\"/>"
            << "<text x=\"" << left + 6 + 230.0 * static_cast<double>(i) << "\" y=\"" << y(finals[i].second) - 4
            << "\" font-size=\"11\" fill=\"" << colours[i % 3] << "\">" << escape(finals[i].first) << ' '
            << fmt("%.2f%%", 100 * finals[i].second) << "</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

std::string raster(std::size_t index, const std::vector<SpikeRecord>& spikes, std::size_t inputs, std::size_t neurons) {
    if (spikes.empty()) return "";
    tick_t t0 = spikes.front().time;
    tick_t t1 = t0 + 1;
    for (const SpikeRecord& s : spikes) {
        t0 = std::min(t0, s.time);
        t1 = std::max(t1, s.time + 1);
    }
    const double w = 640;
    const double input_h = 200;
    const double output_h = 120;
    const double gap = 20;
    const double h = input_h + gap + output_h + 20;
    auto x = [&](tick_t t) { return 40 + (w - 50) * static_cast<double>(t - t0) / static_cast<double>(t1 - t0); };
    std::ostringstream svg;
    svg << "<svg id=\"raster-" << index << "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\""
        << h << "\">\n<text x=\"0\" y=\"12\" font-size=\"11\">inputs</text><text x=\"0\" y=\"" << input_h + gap + 12
        << "\" font-size=\"11\">soft-WTA</text>\n<g fill=\"#1f77b4\">";
    for (const SpikeRecord& s : spikes) {
        if (!s.input) continue;
        svg << "<rect x=\"" << fmt("%.1f", x(s.time)) << "\" y=\""
            << fmt("%.1f", input_h * s.neuron / static_cast<double>(std::max<std::size_t>(inputs, 1)))
            << "\" width=\"1.2\" height=\"1.2\"/>";
    }
    svg << "</g>\n<g fill=\"#d62728\">";
    for (const SpikeRecord& s : spikes) {
        if (s.input) continue;
        svg << "<rect x=\"" << fmt("%.1f", x(s.time)) << "\" y=\""
            << fmt("%.1f", input_h + gap + output_h * s.neuron / static_cast<double>(std::max<std::size_t>(neurons, 1)))
            << "\" width=\"1.5\" height=\"1.5\"/>";
    }
    svg << "</g>\n<text x=\"" << w - 10 << "\" y=\"" << h - 4 << "\" font-size=\"11\" text-anchor=\"end\">"
        << fmt("%.1f", static_cast<double>(t1 - t0) / 1000.0) << " ms</text></svg>\n";
    return svg.str();
}

// The frame of an accuracy plot with a log x axis from 10^x0 to 10^x1 and accuracies from y0 to 1.
struct AccuracyAxes {
    double w = 640;
    double h = 300;
    double left = 50;
    double bottom = 36;
    double x0 = 0;
    double x1 = 1;
    double y0 = 0;
    [[nodiscard]] double x(double v) const { return left + (w - left - 20) * (std::log10(v) - x0) / (x1 - x0); }
    [[nodiscard]] double y(double acc) const { return (h - bottom) - (h - bottom - 10) * (acc - y0) / (1.0 - y0); }
};

AccuracyAxes fit_axes(const std::vector<std::pair<double, double>>& points) {
    AccuracyAxes a;
    double lo = 1e300;
    double hi = 1.0;
    double acc_lo = 1.0;
    for (const auto& [v, acc] : points) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        acc_lo = std::min(acc_lo, acc);
    }
    if (points.empty()) lo = 1.0;
    a.x0 = std::floor(std::log10(lo));
    a.x1 = std::max(a.x0 + 1.0, std::ceil(std::log10(hi)));
    a.y0 = std::max(0.0, std::floor(acc_lo * 10.0 - 0.5) / 10.0);
    return a;
}

void open_plot(std::ostringstream& svg, const char* id, const AccuracyAxes& a, const std::string& x_label) {
    svg << "<svg id=\"" << id << "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << a.w << "\" height=\"" << a.h
        << "\" viewBox=\"0 0 " << a.w << ' ' << a.h << "\">\n";
    for (double acc = a.y0; acc <= 1.0001; acc += 0.05) {
        svg << "<line x1=\"" << a.left << "\" x2=\"" << a.w - 20 << "\" y1=\"" << a.y(acc) << "\" y2=\"" << a.y(acc)
            << "\" stroke=\"#eee\"/><text x=\"" << a.left - 6 << "\" y=\"" << a.y(acc) + 4
            << "\" font-size=\"11\" text-anchor=\"end\">" << fmt("%.0f%%", 100 * acc) << "</text>\n";
    }
    for (double e = a.x0; e <= a.x1 + 1e-9; e += 1.0) {
        const double v = std::pow(10.0, e);
        svg << "<line x1=\"" << a.x(v) << "\" x2=\"" << a.x(v) << "\" y1=\"10\" y2=\"" << a.h - a.bottom
            << "\" stroke=\"#eee\"/><text x=\"" << a.x(v) << "\" y=\"" << a.h - a.bottom + 14
            << "\" font-size=\"11\" text-anchor=\"middle\">1e" << static_cast<int>(e) << "</text>\n";
    }
    svg << "<text x=\"" << a.w - 20 << "\" y=\"" << a.h - 4 << "\" font-size=\"11\" text-anchor=\"end\">" << x_label
        << "</text>\n";
}

// One sweep as a line of marked points at (x_of(point), accuracy), sorted by x.
template <typename X>
void sweep_line(std::ostringstream& svg, const AccuracyAxes& a, std::vector<const ComparePoint*> points, const char* id,
                const char* colour, X x_of) {
    if (points.empty()) return;
    std::sort(points.begin(), points.end(),
              [&](const ComparePoint* p, const ComparePoint* q) { return x_of(*p) < x_of(*q); });
    svg << "<polyline id=\"" << id << "\" fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
    for (const ComparePoint* p : points) svg << a.x(x_of(*p)) << ',' << a.y(p->linear_accuracy) << ' ';
    svg << "\"/>\n";
    for (const ComparePoint* p : points) {
        svg << "<circle cx=\"" << a.x(x_of(*p)) << "\" cy=\"" << a.y(p->linear_accuracy) << "\" r=\"3.5\" fill=\""
            << colour << "\"><title>spiking, " << escape(point_setting(*p)) << ": "
            << fmt("%.2f%%", 100 * p->linear_accuracy) << " at " << fmt("%.0f", p->synaptic_events)
            << " synaptic events</title></circle>\n";
    }
}

std::vector<const ComparePoint*> sweep_of(const CompareResult& r, const std::string& sweep) {
    std::vector<const ComparePoint*> out;
    for (const ComparePoint& p : r.sweep) {
        if (p.sweep == sweep) out.push_back(&p);
    }
    return out;
}

// Test accuracy (linear read-out) against operations per test image, log x: the input sweeps as lines of
// points (synaptic events), the rate model as one point (dense MACs), transferred weights as open marks.
std::string accuracy_vs_events(const CompareResult& r) {
    auto ops = [](const ComparePoint& p) { return std::max(1.0, p.form == "rate" ? p.macs : p.synaptic_events); };
    std::vector<std::pair<double, double>> all;
    for (const ComparePoint& p : r.sweep) {
        if (p.sweep != "output_draws") all.emplace_back(ops(p), p.linear_accuracy);
    }
    for (const ComparePoint& p : r.points) all.emplace_back(ops(p), p.linear_accuracy);
    const AccuracyAxes a = fit_axes(all);
    std::ostringstream svg;
    open_plot(svg, "accuracy-vs-events", a, "operations per test image (spiking: synaptic events; rate: MACs)");
    sweep_line(svg, a, sweep_of(r, "spike_budget"), "spiking-sweep", "#1f77b4", ops);
    sweep_line(svg, a, sweep_of(r, "input_spikes"), "input-spikes-sweep", "#2ca02c", ops);
    for (const ComparePoint& p : r.points) {
        const bool own = (p.form == "rate") == (p.weights == "rate-trained");
        const char* colour = p.form == "rate" ? "#d62728" : "#1f77b4";
        svg << "<rect " << (p.form == "rate" && own ? "id=\"rate-point\" " : "") << "x=\"" << a.x(ops(p)) - 5
            << "\" y=\"" << a.y(p.linear_accuracy) - 5 << "\" width=\"10\" height=\"10\" fill=\""
            << (own ? colour : "none") << "\" stroke=\"" << colour << "\"><title>" << p.form << " with " << p.weights
            << " weights" << (p.form == "spiking" ? ", " + escape(point_setting(p)) : std::string()) << ": "
            << fmt("%.2f%%", 100 * p.linear_accuracy) << "</title></rect>\n";
    }
    svg << "<text x=\"" << a.left + 8
        << "\" y=\"22\" font-size=\"11\" fill=\"#1f77b4\">&#9679; spiking over "
           "chip.spike_budget (earliest spikes of the training code)</text><text x=\""
        << a.left + 8
        << "\" y=\"36\" font-size=\"11\" fill=\"#2ca02c\">&#9679; spiking over input spikes per image (fixed-count "
           "code)</text><text x=\""
        << a.left + 8
        << "\" y=\"50\" font-size=\"11\" fill=\"#d62728\">&#9632; rate "
           "model; blue squares: the spiking form; open squares: the other form's weights</text>\n</svg>\n";
    return svg.str();
}

// A deep network's compare: test accuracy against synaptic events per test image (log x), one line per spiking
// map whose budget was swept (the others as configured), the main points as squares; then the sweep's points
// with their events per block.
std::string accuracy_vs_events_deep(const CompareResult& r) {
    auto ops = [](const ComparePoint& p) { return std::max(1.0, p.form == "rate" ? p.macs : p.synaptic_events); };
    std::vector<std::pair<double, double>> all;
    std::vector<std::string> maps;
    for (const ComparePoint& p : r.sweep) {
        all.emplace_back(ops(p), p.linear_accuracy);
        if (std::find(maps.begin(), maps.end(), p.sweep) == maps.end()) maps.push_back(p.sweep);
    }
    for (const ComparePoint& p : r.points) all.emplace_back(ops(p), p.linear_accuracy);
    if (all.empty()) return "<p>Nothing was evaluated.</p>\n";
    const AccuracyAxes a = fit_axes(all);
    std::ostringstream svg;
    open_plot(svg, "accuracy-vs-events", a, "operations per test image (spiking: synaptic events; rate: MACs)");
    const char* colours[] = {"#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    for (std::size_t m = 0; m < maps.size(); ++m) {
        const std::string id = "sweep-" + std::to_string(m);
        sweep_line(svg, a, sweep_of(r, maps[m]), id.c_str(), colours[m % 6], ops);
        svg << "<text x=\"" << a.left + 8 << "\" y=\"" << 22 + 14 * m << "\" font-size=\"11\" fill=\"" << colours[m % 6]
            << "\">&#9679; " << escape(maps[m]) << " swept</text>\n";
    }
    for (const ComparePoint& p : r.points) {
        const bool own = (p.form == "rate") == (p.weights == "rate-trained");
        const char* colour = p.form == "rate" ? "#d62728" : "#1f77b4";
        svg << "<rect x=\"" << a.x(ops(p)) - 5 << "\" y=\"" << a.y(p.linear_accuracy) - 5
            << "\" width=\"10\" height=\"10\" fill=\"" << (own ? colour : "none") << "\" stroke=\"" << colour
            << "\"><title>" << p.form << " with " << p.weights << " kernels, " << escape(point_setting(p)) << ": "
            << fmt("%.2f%%", 100 * p.linear_accuracy) << "</title></rect>\n";
    }
    svg << "<text x=\"" << a.left + 8 << "\" y=\"" << 22 + 14 * maps.size()
        << "\" font-size=\"11\" fill=\"#d62728\">&#9632; rate form; blue squares: the spiking form; open squares: "
           "the other form's kernels</text>\n</svg>\n";
    svg << "<table id=\"deep-sweep\"><tr><th>map swept</th><th>budget</th><th>linear read-out</th>"
           "<th>synaptic events per block</th><th>in all</th></tr>\n";
    for (const ComparePoint& p : r.sweep) {
        svg << "<tr><th>" << escape(p.sweep) << "</th><td>" << fmt("%g", p.budget) << "</td><td>"
            << fmt("%.2f%%", 100 * p.linear_accuracy) << "</td><td>";
        for (std::size_t b = 0; b < p.block_ops.size(); ++b) svg << (b > 0 ? " / " : "") << fmt("%.3g", p.block_ops[b]);
        svg << "</td><td>" << fmt("%.3g", p.synaptic_events) << "</td></tr>\n";
    }
    svg << "</table>\n";
    return svg.str();
}

// Test accuracy against output draws per test image (log x); the drive read-out, which draws none, is drawn
// at the left edge and named.
std::string accuracy_vs_draws(const CompareResult& r) {
    const std::vector<const ComparePoint*> points = sweep_of(r, "output_draws");
    if (points.empty()) return "<p>No output-draw sweep (compare.output_draws is empty).</p>\n";
    std::vector<std::pair<double, double>> all;
    double fewest = 1e300;
    for (const ComparePoint* p : points) {
        if (p->signal != "drive") fewest = std::min(fewest, std::max(1.0, p->output_spikes));
    }
    const double drive_x = fewest < 1e300 ? std::pow(10.0, std::floor(std::log10(fewest)) - 1.0) : 1.0;
    auto draws = [&](const ComparePoint& p) { return p.signal == "drive" ? drive_x : std::max(1.0, p.output_spikes); };
    for (const ComparePoint* p : points) all.emplace_back(draws(*p), p->linear_accuracy);
    const AccuracyAxes a = fit_axes(all);
    std::ostringstream svg;
    open_plot(svg, "accuracy-vs-draws", a, "output draws per test image (leftmost: the drive read-out, no draws)");
    std::vector<const ComparePoint*> counted;
    for (const ComparePoint* p : points) {
        if (p->signal != "drive") counted.push_back(p);
    }
    sweep_line(svg, a, counted, "output-draws-sweep", "#ff7f0e", draws);
    for (const ComparePoint* p : points) {
        if (p->signal != "drive") continue;
        svg << "<rect id=\"drive-point\" x=\"" << a.x(drive_x) - 5 << "\" y=\"" << a.y(p->linear_accuracy) - 5
            << "\" width=\"10\" height=\"10\" fill=\"#9467bd\"><title>drive read-out: "
            << fmt("%.2f%%", 100 * p->linear_accuracy) << "</title></rect><text x=\"" << a.x(drive_x) + 8 << "\" y=\""
            << a.y(p->linear_accuracy) + 4 << "\" font-size=\"11\" fill=\"#9467bd\">drive</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

}  // namespace

std::string render_compare_report(const std::string& command, const CompareResult& r, const NetworkModel& model,
                                  std::size_t pixels) {
    std::ostringstream html;
    html << page_start("softspike compare report") << "<p><code>" << escape(command) << "</code></p>\n";
    html << "<h2>Test accuracy and operations per test image</h2>\n<table id=\"compare-table\"><tr><th>form</th>"
            "<th>weights</th><th>evaluation</th><th>linear read-out</th><th>label assignment</th>"
            "<th>input spikes</th><th>synaptic events</th><th>MACs</th></tr>\n";
    auto row = [&](const ComparePoint& p) {
        html << "<tr><th>" << p.form << "</th><td>" << p.weights << "</td><td>" << escape(point_setting(p))
             << "</td><td>" << fmt("%.2f%%", 100 * p.linear_accuracy) << "</td><td>"
             << fmt("%.2f%%", 100 * p.label_assignment_accuracy) << "</td><td>" << fmt("%.0f", p.input_spikes)
             << "</td><td>" << fmt("%.0f", p.synaptic_events) << "</td><td>" << fmt("%.0f", p.macs) << "</td></tr>\n";
    };
    for (const ComparePoint& p : r.points) row(p);
    if (r.deep_rate || r.deep_spiking) {
        html << "</table>\n<h2>Accuracy versus synaptic events, per spiking map</h2>\n<p>The "
             << (r.deep_spiking ? "spike-trained" : "rate-trained")
             << " kernels in the spiking form, each map's budget (the image's spikes per pixel, a block's spikes per "
                "unit) set in turn to every compare.deep_budgets value, the others as configured; linear read-out, "
                "test set.</p>\n"
             << accuracy_vs_events_deep(r);
        html << "<h2>Training</h2>\n<table id=\"training-table\"><tr><th>form</th><th>images</th><th>seconds</th>"
                "<th>forward ops per image</th><th>plasticity updates per image</th></tr>\n";
        for (const CompareTraining& t : r.training) {
            html << "<tr><th>" << t.form << "</th><td>" << t.images << "</td><td>" << fmt("%.1f", t.seconds)
                 << "</td><td>" << fmt("%.0f", t.synaptic_events) << (t.form == "rate" ? " MACs" : " synaptic events")
                 << "</td><td>" << fmt("%.0f", t.plasticity_updates) << "</td></tr>\n";
        }
        html << "</table>\n<h2>First block's kernels</h2>\n"
             << receptive_fields(model, model.weights.sources()) << page_end();
        return html.str();
    }
    html << "</table>\n<h2>Accuracy versus synaptic events</h2>\n<p>The spike-trained spiking model evaluated "
            "with fewer input spikes: the earliest spikes of the training code only (chip.spike_budget) and the "
            "fixed-count code (evaluation.spikes_per_image), against the rate model's dense pass; linear read-out, "
            "test set.</p>\n"
         << accuracy_vs_events(r)
         << "<h2>Accuracy versus output draws</h2>\n<p>The same model read out from fewer or more output draws "
            "per test image (spike counts), and from the membrane drives at the window's end (no draws).</p>\n"
         << accuracy_vs_draws(r);
    html << "<h2>Training</h2>\n<table id=\"training-table\"><tr><th>form</th><th>images</th><th>seconds</th>"
            "<th>ops per image</th><th>plasticity updates per image</th></tr>\n";
    std::vector<std::pair<std::string, Curve>> curves;
    for (const CompareTraining& t : r.training) {
        html << "<tr><th>" << t.form << "</th><td>" << t.images << "</td><td>" << fmt("%.1f", t.seconds) << "</td><td>"
             << fmt("%.0f", t.synaptic_events) << (t.form == "rate" ? " MACs" : " synaptic events") << "</td><td>"
             << fmt("%.0f", t.plasticity_updates) << "</td></tr>\n";
        curves.emplace_back(t.form, t.running_accuracy);
    }
    html << "</table>\n<p>Prequential accuracy of an on-line label assignment over the last 1000 training images "
            "(spiking: spike counts; rate: the winning neuron).</p>\n"
         << accuracy_curve(curves, {});
    html << "<h2>Receptive fields</h2>\n" << receptive_fields(model, pixels) << page_end();
    return html.str();
}

std::string render_run_report(const RunReport& r, const NetworkModel& model, std::size_t pixels) {
    const std::size_t neurons = r.info.config.population.neurons;
    std::ostringstream html;
    html << page_start("softspike " + std::string(r.training ? "train" : "eval") + " report");
    html << "<p><code>" << escape(r.info.command) << "</code><br>seed " << r.info.config.seed << ", " << neurons
         << " neurons, " << r.info.threads << " threads, total " << fmt("%.1f", r.total_seconds) << " s. "
         << escape(r.info.config.description) << "</p>\n";
    html << "<table id=\"accuracy\"><tr><th>" << evaluation_set_name(r.info.config.data)
         << " accuracy</th><th></th></tr><tr><th>linear read-out</th><td>"
         << fmt("%.2f%%", 100 * r.readout.linear_readout_accuracy) << "</td></tr><tr><th>label assignment</th><td>"
         << fmt("%.2f%%", 100 * r.readout.label_assignment_accuracy)
         << "</td></tr><tr><th>neurons silent on the test set</th><td>" << r.silent_neurons_test
         << "</td></tr></table>\n";
    html << "<h2>Receptive fields</h2>\n<p>Each neuron's weights from the 28&times;28 inputs (white: its largest "
            "positive weight, black: its most negative, grey: zero).</p>\n"
         << receptive_fields(model, pixels);
    html << "<h2>Accuracy over the training run</h2>\n";
    if (r.training) {
        html << "<p>Prequential accuracy over the last 1000 training images (each image classified before it is "
                "learned from) of each read-out learned on-line during training: blue, the label assignment; "
                "orange, a linear read-out taking one SGD step per image. Dashed: the two read-outs fitted after "
                "training, on the test set.</p>\n"
             << accuracy_curve({{"label assignment (on-line)", r.training->running_accuracy},
                                {"linear read-out (on-line)", r.training->running_accuracy_linear}},
                               {{"linear read-out (test)", r.readout.linear_readout_accuracy},
                                {"label assignment (test)", r.readout.label_assignment_accuracy}});
    } else {
        html << "<p>An eval run has no training curve.</p>\n";
    }
    html << "<h2>Spike rasters of test images</h2>\n";
    if (r.eval_test.rasters.empty()) {
        html << "<p>None recorded: set <code>output.raster_samples</code>.</p>\n";
    }
    for (std::size_t i = 0; i < r.eval_test.rasters.size(); ++i) {
        html << "<p>Test image " << i << " (label " << static_cast<int>(r.test_labels.at(i))
             << "): input spikes (blue, by input neuron), soft-WTA spikes (red, by neuron).</p>\n"
             << raster(i, r.eval_test.rasters[i], model.weights.sources(), neurons);
    }
    html << "<h2>Confusion matrices (test set)</h2>\n<h3>Linear read-out</h3>\n"
         << confusion("confusion-linear", r.readout.linear_readout_predictions, r.test_labels, r.classes)
         << "<h3>Label assignment</h3>\n"
         << confusion("confusion-label-assignment", r.readout.label_assignment_predictions, r.test_labels, r.classes);
    html << "<h2>Counts and energy per image</h2>\n";
    if (r.training)
        html << cost_table_html("energy-training", "training", r.training->stats.hardware, r.info.cost_tables);
    html << cost_table_html("energy-evaluation-test", "evaluation, test set", r.eval_test.stats.hardware,
                            r.info.cost_tables)
         << sources(r.info.cost_tables) << page_end();
    return html.str();
}

std::string render_events_report(const std::string& command, const NetworkModel& model, std::size_t pixels,
                                 const std::vector<std::pair<std::string, HardwareFigures>>& phases,
                                 const std::vector<CostTable>& tables) {
    std::ostringstream html;
    html << page_start("softspike events report") << "<p><code>" << escape(command) << "</code></p>\n"
         << "<h2>Counts and energy per image</h2>\n";
    for (std::size_t i = 0; i < phases.size(); ++i) {
        html << cost_table_html("energy-" + std::to_string(i), phases[i].first, phases[i].second, tables);
    }
    html << sources(tables) << "<h2>Receptive fields of the weights used</h2>\n"
         << receptive_fields(model, pixels) << page_end();
    return html.str();
}

}  // namespace softspike
