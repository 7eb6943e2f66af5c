#include "io/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "io/png.hpp"

namespace softspike {

namespace {

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string fmt(const char* format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

std::string page_start(const std::string& title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) +
           "</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
           "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 6px;"
           "text-align:right;font-size:13px}th{background:#f4f4f4}h2{margin-top:1.6em}"
           "img.fields{image-rendering:pixelated;width:640px;border:1px solid #ccc}"
           "code{background:#f4f4f4;padding:1px 3px}</style></head><body>\n<h1>" +
           escape(title) + "</h1>\n";
}

// The page reads complete without it; it only records, for tests and for the curious, whether every
// embedded image decoded (body attribute data-images-decoded="decoded/total").
std::string page_end() {
    return "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
           "for(var k=0;k<im.length;k++){if(im[k].complete&&im[k].naturalWidth>0)ok++;}"
           "document.body.setAttribute('data-images-decoded',ok+'/'+im.length);});</script>\n</body></html>\n";
}

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
            image[(y0 + p / side) * width + x0 + p % side] = static_cast<std::uint8_t>(std::lround(127.5F + 127.5F * v));
        }
    }
    return "<img class=\"fields\" id=\"receptive-fields\" alt=\"receptive fields of " + std::to_string(n) +
           " neurons\" src=\"data:image/png;base64," + base64(encode_png_grey(width, height, image)) + "\">\n";
}

std::string accuracy_curve(const std::vector<std::pair<std::uint64_t, double>>& curve,
                           const std::vector<std::pair<std::string, double>>& finals) {
    const double w = 640;
    const double h = 260;
    const double left = 50;
    const double bottom = 30;
    const double x_max = curve.empty() ? 1.0 : static_cast<double>(curve.back().first);
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
    svg << "<text x=\"" << w - 10 << "\" y=\"" << h - 8 << "\" font-size=\"11\" text-anchor=\"end\">images seen: "
        << static_cast<std::uint64_t>(x_max) << "</text>\n";
    if (!curve.empty()) {
        svg << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"";
        for (const auto& [images, acc] : curve) svg << x(static_cast<double>(images)) << ',' << y(acc) << ' ';
        svg << "\"/>\n";
    }
    const char* colours[] = {"#d62728", "#2ca02c", "#9467bd"};
    for (std::size_t i = 0; i < finals.size(); ++i) {
        svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << y(finals[i].second) << "\" y2=\""
            << y(finals[i].second) << "\" stroke=\"" << colours[i % 3] << "\" stroke-dasharray=\"5,4\"/>"
            << "<text x=\"" << left + 6 + 230.0 * static_cast<double>(i) << "\" y=\"" << y(finals[i].second) - 4 << "\" font-size=\"11\" fill=\""
            << colours[i % 3] << "\">" << escape(finals[i].first) << ' ' << fmt("%.2f%%", 100 * finals[i].second)
            << "</text>\n";
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

std::string confusion(const std::string& id, const std::vector<std::uint8_t>& predictions,
                      const std::vector<std::uint8_t>& labels, std::size_t classes) {
    std::vector<std::vector<std::size_t>> m(classes, std::vector<std::size_t>(classes, 0));
    for (std::size_t i = 0; i < labels.size() && i < predictions.size(); ++i) {
        if (labels[i] < classes && predictions[i] < classes) ++m[labels[i]][predictions[i]];
    }
    std::ostringstream html;
    html << "<table id=\"" << id << "\"><tr><th>true \\ predicted</th>";
    for (std::size_t c = 0; c < classes; ++c) html << "<th>" << c << "</th>";
    html << "</tr>\n";
    for (std::size_t r = 0; r < classes; ++r) {
        std::size_t total = 0;
        for (const auto v : m[r]) total += v;
        html << "<tr><th>" << r << "</th>";
        for (std::size_t c = 0; c < classes; ++c) {
            const double share = total > 0 ? static_cast<double>(m[r][c]) / static_cast<double>(total) : 0.0;
            html << "<td style=\"background:rgba(31,119,180," << fmt("%.3f", share) << ")\">" << m[r][c] << "</td>";
        }
        html << "</tr>\n";
    }
    html << "</table>\n";
    return html.str();
}

std::string cost_table_html(const std::string& id, const std::string& title, const HardwareFigures& f,
                            const std::vector<CostTable>& tables) {
    const double n = f.images > 0 ? static_cast<double>(f.images) : 1.0;
    std::ostringstream html;
    html << "<h3>" << escape(title) << " (" << f.images << " images)</h3>\n<table id=\"" << id
         << "\"><tr><th>per image</th><th>count</th>";
    std::vector<EnergyEstimate> estimates;
    for (const CostTable& t : tables) {
        html << "<th title=\"" << escape(t.source) << "\">" << escape(t.name) << " (nJ)</th>";
        estimates.push_back(estimate_energy(f, t));
    }
    html << "</tr>\n";
    for (const auto& [category, count] : cost_categories(f)) {
        html << "<tr><th>" << category << "</th><td>" << fmt("%.1f", count / n) << "</td>";
        for (const EnergyEstimate& e : estimates) {
            const auto it = std::find_if(e.pj_by_category.begin(), e.pj_by_category.end(),
                                         [&](const auto& p) { return p.first == category; });
            html << "<td>" << (it == e.pj_by_category.end() ? std::string("–") : fmt("%.2f", it->second / n / 1000))
                 << "</td>";
        }
        html << "</tr>\n";
    }
    html << "<tr><th>total</th><td></td>";
    for (const EnergyEstimate& e : estimates) html << "<td><b>" << fmt("%.2f", e.total_pj / n / 1000) << "</b></td>";
    html << "</tr></table>\n<p>NeuroBench: Effective_ACs " << fmt("%.0f", static_cast<double>(f.counts.effective_acs) / n)
         << ", Effective_MACs " << fmt("%.0f", static_cast<double>(f.counts.effective_macs) / n) << ", Dense "
         << fmt("%.0f", static_cast<double>(f.dense_ops) / n) << ", MembraneUpdates "
         << fmt("%.0f", static_cast<double>(f.counts.membrane_updates) / n) << ", ActivationSparsity "
         << fmt("%.4f", f.activation_sparsity) << ", ConnectionSparsity " << fmt("%.4f", f.connection_sparsity)
         << ", Footprint " << f.footprint_bytes << " bytes.</p>\n";
    return html.str();
}

std::string sources(const std::vector<CostTable>& tables) {
    std::string html = "<p>Cost tables: ";
    for (const CostTable& t : tables) html += "<b>" + escape(t.name) + "</b>: " + escape(t.source) + ". ";
    return html + "</p>\n";
}

}  // namespace

std::string render_run_report(const RunReport& r, const NetworkModel& model, std::size_t pixels) {
    const std::size_t neurons = r.config.population.neurons;
    std::ostringstream html;
    html << page_start("softspike " + std::string(r.training ? "train" : "eval") + " report");
    html << "<p><code>" << escape(r.command) << "</code><br>seed " << r.config.seed << ", " << neurons
         << " neurons, " << r.threads << " threads, total " << fmt("%.1f", r.total_seconds) << " s. "
         << escape(r.config.description) << "</p>\n";
    html << "<table id=\"accuracy\"><tr><th>test accuracy</th><th></th></tr><tr><th>linear read-out</th><td>"
         << fmt("%.2f%%", 100 * r.readout.linear_readout_accuracy) << "</td></tr><tr><th>label assignment</th><td>"
         << fmt("%.2f%%", 100 * r.readout.label_assignment_accuracy)
         << "</td></tr><tr><th>neurons silent on the test set</th><td>" << r.silent_neurons_test
         << "</td></tr></table>\n";
    html << "<h2>Receptive fields</h2>\n<p>Each neuron's weights from the 28&times;28 inputs (white: its largest "
            "positive weight, black: its most negative, grey: zero).</p>\n"
         << receptive_fields(model, pixels);
    html << "<h2>Accuracy over the training run</h2>\n";
    if (r.training) {
        html << "<p>Blue: prequential accuracy of the on-line label assignment over the last 1000 training images "
                "(each image classified before it is learned from). Dashed: the two read-outs on the test set at "
                "the end of training (they are fitted once, after training).</p>\n"
             << accuracy_curve(r.training->running_accuracy,
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
    if (r.training) html << cost_table_html("energy-training", "training", r.training->stats.hardware, r.cost_tables);
    html << cost_table_html("energy-evaluation-test", "evaluation, test set", r.eval_test.stats.hardware,
                            r.cost_tables)
         << sources(r.cost_tables) << page_end();
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
