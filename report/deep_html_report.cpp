#include "report/deep_html_report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/deep_report.hpp"
#include "report/html_parts.hpp"
#include "report/png.hpp"

namespace softspike {

namespace {

// Block `b`'s kernels as tiles of side x side pixels: a kernel is one row of tiles, its input channels side by
// side, and the kernels fill a grid; each kernel scaled by its own largest |w| (white positive, black negative,
// grey 0). At most `max_filters` kernels and `max_channels` channels each (the first ones): a deep block's
// full set would be wider than a page.
std::string kernel_image(const DeepReport& r, std::size_t b, std::size_t max_filters, std::size_t max_channels) {
    const Projection& w = r.kernels[b].weights;
    const std::size_t channels = b == 0 ? r.input.channels : r.block_outputs[b - 1].channels;
    if (w.targets() == 0 || channels == 0 || w.sources() % channels != 0) return "<p>(no kernels)</p>\n";
    const std::size_t per_channel = w.sources() / channels;
    const auto side = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(per_channel))));
    if (side * side != per_channel) return "<p>(kernels are not square)</p>\n";
    const std::size_t filters = std::min(w.targets(), max_filters);
    const std::size_t shown = std::min(channels, max_channels);
    const std::size_t tile_w = shown * side + (shown - 1);
    // Block 1's few small kernels fill a square grid; a deeper block's rows of many channels stack.
    const std::size_t cols = b == 0 ? static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(filters)))) : 1;
    const std::size_t rows = (filters + cols - 1) / cols;
    const std::size_t width = cols * (tile_w + 1) + 1;
    const std::size_t height = rows * (side + 1) + 1;
    std::vector<std::uint8_t> image(width * height, 255);
    for (std::size_t k = 0; k < filters; ++k) {
        float largest = 0.0F;
        for (std::size_t i = 0; i < w.sources(); ++i) largest = std::max(largest, std::abs(w.at(i, k)));
        const std::size_t x0 = (k % cols) * (tile_w + 1) + 1;
        const std::size_t y0 = (k / cols) * (side + 1) + 1;
        for (std::size_t c = 0; c < shown; ++c) {
            for (std::size_t p = 0; p < per_channel; ++p) {
                const float v = largest > 0.0F ? w.at(c * per_channel + p, k) / largest : 0.0F;
                image[(y0 + p / side) * width + x0 + c * (side + 1) + p % side] =
                    static_cast<std::uint8_t>(std::lround(127.5F + 127.5F * v));
            }
        }
    }
    std::string caption = "block " + std::to_string(b + 1) + ": " + std::to_string(filters) + " of " +
                          std::to_string(w.targets()) + " kernels, " + std::to_string(shown) + " of " +
                          std::to_string(channels) + " input channels";
    return "<figure><img class=\"fields\" id=\"kernels-" + std::to_string(b + 1) + "\" alt=\"" + caption +
           "\" src=\"data:image/png;base64," + base64(encode_png_grey(width, height, image)) + "\"><figcaption>" +
           caption + "</figcaption></figure>\n";
}

// One spiking block's raster without time: a row per position, a column per channel (each `width` pixels),
// white for no spike and black for the most any unit of the raster fired.
std::string spike_count_image(const SpikeCountRaster& raster) {
    const std::size_t rows = raster.columns.size();
    if (rows == 0 || raster.channels == 0) return "";
    const std::size_t cell = std::max<std::size_t>(1, 512 / raster.channels);
    const std::size_t width = raster.channels * cell;
    const std::size_t row_height = 8;
    const std::size_t height = rows * (row_height + 1) - 1;
    std::uint32_t most = 0;
    for (const std::uint32_t c : raster.counts) most = std::max(most, c);
    std::vector<std::uint8_t> image(width * height, 255);
    for (std::size_t p = 0; p < rows; ++p) {
        for (std::size_t c = 0; c < raster.channels; ++c) {
            const std::uint32_t n = raster.counts[p * raster.channels + c];
            const auto grey = static_cast<std::uint8_t>(most == 0 ? 255 : 255 - (255 * n) / most);
            for (std::size_t y = 0; y < row_height; ++y) {
                for (std::size_t x = 0; x < cell; ++x) image[(p * (row_height + 1) + y) * width + c * cell + x] = grey;
            }
        }
    }
    std::uint64_t shown = 0;
    for (const std::uint32_t c : raster.counts) shown += c;
    const std::string caption = "block " + std::to_string(raster.block + 1) + ": row " + std::to_string(raster.row) +
                                ", columns " + std::to_string(raster.columns.front()) + " to " +
                                std::to_string(raster.columns.back()) + " (top to bottom), channels 0 to " +
                                std::to_string(raster.channels - 1) + " (left to right); " + std::to_string(shown) +
                                " of the block's " + std::to_string(raster.block_spikes) +
                                " spikes, black = " + std::to_string(most);
    return "<figure><img class=\"fields\" id=\"raster-" + std::to_string(raster.block + 1) + "\" alt=\"" + caption +
           "\" src=\"data:image/png;base64," + base64(encode_png_grey(width, height, image)) + "\"><figcaption>" +
           caption + "</figcaption></figure>\n";
}

// Mean kernel norm (line) and min to max (band) of each learning block through its stage, x the stage's images,
// y log-scaled.
std::string norm_curve(const DeepReport& r) {
    const std::vector<KernelNormPoint>& curve = r.training.curve;
    if (curve.empty()) return "<p>No unsupervised phase in this run.</p>\n";
    const double w = 640;
    const double h = 280;
    const double left = 56;
    const double bottom = 32;
    double lo = 1e300;
    double hi = 0.0;
    std::uint64_t x_max = 1;
    for (const KernelNormPoint& p : curve) {
        lo = std::min(lo, std::max(p.min, 1e-3));
        hi = std::max(hi, p.max);
        x_max = std::max(x_max, p.images);
    }
    const double y0 = std::floor(std::log10(lo));
    const double y1 = std::max(y0 + 1.0, std::ceil(std::log10(std::max(hi, 1e-3))));
    auto x = [&](double images) { return left + (w - left - 10) * images / static_cast<double>(x_max); };
    auto y = [&](double v) {
        return (h - bottom) - (h - bottom - 10) * (std::log10(std::max(v, 1e-3)) - y0) / (y1 - y0);
    };
    std::ostringstream svg;
    svg << "<svg id=\"kernel-norm-curve\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
        << "\" viewBox=\"0 0 " << w << ' ' << h << "\">\n";
    for (double e = y0; e <= y1 + 1e-9; e += 1.0) {
        svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << y(std::pow(10.0, e)) << "\" y2=\""
            << y(std::pow(10.0, e)) << "\" stroke=\"#eee\"/><text x=\"" << left - 6 << "\" y=\""
            << y(std::pow(10.0, e)) + 4 << "\" font-size=\"11\" text-anchor=\"end\">" << fmt("%g", std::pow(10.0, e))
            << "</text>\n";
    }
    svg << "<line x1=\"" << left << "\" x2=\"" << w - 10 << "\" y1=\"" << y(1.0) << "\" y2=\"" << y(1.0)
        << "\" stroke=\"#999\" stroke-dasharray=\"4,3\"/>\n";
    svg << "<text x=\"" << w - 10 << "\" y=\"" << h - 8 << "\" font-size=\"11\" text-anchor=\"end\">images of the "
        << "block's stage: " << x_max << "</text>\n";
    const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    std::size_t blocks = 0;
    for (const KernelNormPoint& p : curve) blocks = std::max(blocks, p.block + 1);
    for (std::size_t b = 0; b < blocks; ++b) {
        std::vector<const KernelNormPoint*> points;
        for (const KernelNormPoint& p : curve) {
            if (p.block == b) points.push_back(&p);
        }
        if (points.empty()) continue;
        const char* colour = colours[b % 6];
        svg << "<polygon fill=\"" << colour << "\" fill-opacity=\"0.15\" stroke=\"none\" points=\"";
        for (const KernelNormPoint* p : points) svg << x(static_cast<double>(p->images)) << ',' << y(p->max) << ' ';
        for (auto it = points.rbegin(); it != points.rend(); ++it) {
            svg << x(static_cast<double>((*it)->images)) << ',' << y((*it)->min) << ' ';
        }
        svg << "\"/>\n<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
        for (const KernelNormPoint* p : points) svg << x(static_cast<double>(p->images)) << ',' << y(p->mean) << ' ';
        svg << "\"><title>block " << b + 1 << "</title></polyline>\n<text x=\"" << w - 12 << "\" y=\""
            << 22 + 14 * static_cast<double>(b) << "\" font-size=\"11\" text-anchor=\"end\" fill=\"" << colour
            << "\">block " << b + 1 << "</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

// Per phase, one row per block and the total: counts per image, activation sparsity and energy per table.
std::string block_costs(const std::string& id, const std::string& phase, const DeepHardware& figures,
                        const std::vector<CostTable>& tables) {
    const double n = figures.total.images > 0 ? static_cast<double>(figures.total.images) : 1.0;
    std::ostringstream html;
    html << "<h3>" << escape(phase) << " (" << figures.total.images << " images), per image</h3>\n<table id=\"" << id
         << "\"><tr><th>block</th><th>MACs (dense)</th><th>synaptic events</th><th>effective ops</th><th>plasticity "
            "updates</th>"
            "<th>weight bytes read</th><th>weight bytes written</th><th>activation sparsity</th>";
    for (const CostTable& t : tables)
        html << "<th title=\"" << escape(t.source) << "\">" << escape(t.name) << " (nJ)</th>";
    html << "</tr>\n";
    const auto row = [&](const std::string& name, const HardwareFigures& f) {
        html << "<tr><th>" << name << "</th><td>" << fmt("%.0f", static_cast<double>(f.dense_ops) / n) << "</td><td>"
             << fmt("%.0f", static_cast<double>(f.counts.synaptic_events) / n) << "</td><td>"
             << fmt("%.0f", static_cast<double>(f.counts.effective_macs + f.counts.effective_acs) / n) << "</td><td>"
             << fmt("%.0f", static_cast<double>(f.counts.plasticity_updates) / n) << "</td><td>"
             << fmt("%.0f", f.weight_read_bytes / n) << "</td><td>" << fmt("%.0f", f.weight_write_bytes / n)
             << "</td><td>" << fmt("%.4f", f.activation_sparsity) << "</td>";
        for (const CostTable& t : tables)
            html << "<td>" << fmt("%.1f", estimate_energy(f, t).total_pj / n / 1e3) << "</td>";
        html << "</tr>\n";
    };
    for (std::size_t b = 0; b < figures.blocks.size(); ++b) row(std::to_string(b + 1), figures.blocks[b]);
    row("all", figures.total);
    html << "</table>\n";
    return html.str();
}

}  // namespace

std::string render_deep_report(const DeepReport& r) {
    const std::vector<CostTable> tables = deep_cost_tables(r);
    const Config& config = r.info.config;
    std::ostringstream html;
    html << page_start(std::string("softspike deep ") + (r.events_only ? "events" : "train") + " report");
    html << "<p><code>" << escape(r.info.command) << "</code><br>seed " << config.seed << ", " << r.block_outputs.size()
         << " blocks, " << r.info.threads << " threads, total " << fmt("%.1f", r.total_seconds) << " s. "
         << escape(config.description) << "</p>\n";
    if (!r.events_only) {
        html << "<table id=\"accuracy\"><tr><th>" << evaluation_set_name(config.data)
             << " accuracy</th><th></th></tr><tr><th>linear read-out</th><td>"
             << fmt("%.2f%%", 100 * r.readout.linear_readout_accuracy) << "</td></tr><tr><th>label assignment</th><td>"
             << fmt("%.2f%%", 100 * r.readout.label_assignment_accuracy)
             << "</td></tr><tr><th>linear read-out, training set</th><td>"
             << fmt("%.2f%%", 100 * r.readout.linear_readout_train_accuracy) << "</td></tr></table>\n";
    } else {
        html << "<p>Phase counted: " << escape(r.phase) << ".</p>\n";
    }
    html << "<h2>Blocks</h2>\n<table id=\"blocks\"><tr><th>block</th><th>output (c &times; h &times; w)</th>"
            "<th>kernel norm: mean</th><th>sd</th><th>min</th><th>max</th><th>activation sparsity (test)</th></tr>\n";
    for (std::size_t b = 0; b < r.block_outputs.size(); ++b) {
        const TensorShape& s = r.block_outputs[b];
        const KernelNormPoint k = kernel_norm_point(b, 0, r.kernel_norms[b]);
        const RateCounters& t = r.test_feature_counters[b];
        html << "<tr><th>" << b + 1 << "</th><td>" << s.channels << " &times; " << s.height << " &times; " << s.width
             << "</td><td>" << fmt("%.3f", k.mean) << "</td><td>" << fmt("%.3f", k.sd) << "</td><td>"
             << fmt("%.3f", k.min) << "</td><td>" << fmt("%.3f", k.max) << "</td><td>"
             << fmt("%.4f", t.activation_sparsity()) << "</td></tr>\n";
    }
    html << "</table>\n<p>Activation sparsity: the fraction of a block's outputs (after pooling) that are exactly 0 "
            "over the test set.</p>\n";
    html << "<h2>Kernels per block</h2>\n<p>Each kernel scaled by its own largest |w| (white positive, black "
            "negative, grey zero). Block 1: every kernel, its input channels side by side. Deeper blocks: one row "
            "per kernel, its first 32 input channels side by side, for the first 24 kernels.</p>\n";
    for (std::size_t b = 0; b < r.kernels.size(); ++b) {
        html << (b == 0 ? kernel_image(r, b, r.kernels[b].weights.targets(), 64) : kernel_image(r, b, 24, 32));
    }
    html << "<h2>Learning curve: kernel norms through the unsupervised phase</h2>\n<p>There are no labels while the "
            "blocks learn, so the curve is what SoftHebb drives: each kernel's norm, from the initial radius towards "
            "1 (dashed). Line: the mean over a block's kernels; band: their minimum to maximum; x: the images of the "
            "block's own stage.</p>\n"
         << norm_curve(r);
    if (!r.events_only) {
        html << "<h2>Confusion matrix of the linear read-out (test set)</h2>\n"
             << confusion("confusion-linear", r.readout.linear_readout_predictions, r.test_labels, r.classes);
    }
    if (!r.spike_rasters.empty()) {
        html << "<h2>Spikes of a few positions per block (first test image)</h2>\n<p>A block integrates a window "
                "and fires once, at its end (docs/model.md §13), so its raster has no time axis: each row is one "
                "output position of the pooled map, each column one channel, darker for more spikes. Within a "
                "position the channels compete: few fire.</p>\n";
        for (const SpikeCountRaster& raster : r.spike_rasters) html << spike_count_image(raster);
    }
    if (r.form == DeepForm::spiking) {
        html << "<h2>Counts and energy per block (spiking form)</h2>\n<p>docs/model.md §13: every unit spike is "
                "delivered through the shared kernel to each position that reads its pixel, one synaptic event (a "
                "weight read and an accumulate) per filter; effective ops are those through a nonzero weight. MACs "
                "(dense) is the rate form's convolution of the same block, for comparison. Priced under every "
                "table.</p>\n";
    } else {
        html << "<h2>Counts and energy per block</h2>\n<p>docs/model.md §10: every kernel multiply-accumulate reads "
                "its weight; effective ops are the forward MACs with a nonzero input plus the Hebbian product's; a "
                "plasticity update is a synapse's read-modify-write once per batch. Priced under the tables that "
                "price a MAC; activation memory is counted by no table and not priced.</p>\n";
    }
    for (std::size_t i = 0; i < r.hardware.size(); ++i) {
        html << block_costs("deep-energy-" + std::to_string(i), r.hardware[i].first, r.hardware[i].second, tables);
    }
    if (!r.hardware.empty()) {
        html << cost_table_html("energy-total-last", r.hardware.back().first + ", all blocks",
                                r.hardware.back().second.total, tables);
    }
    html << sources(tables) << page_end();
    return html.str();
}

}  // namespace softspike
