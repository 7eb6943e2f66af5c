#include "report/html_parts.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace softspike {

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out.push_back(c);
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

std::string page_end() {
    return "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
           "for(var k=0;k<im.length;k++){if(im[k].complete&&im[k].naturalWidth>0)ok++;}"
           "document.body.setAttribute('data-images-decoded',ok+'/'+im.length);});</script>\n</body></html>\n";
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
                                         [&name = category](const auto& p) { return p.first == name; });
            html << "<td>" << (it == e.pj_by_category.end() ? std::string("–") : fmt("%.2f", it->second / n / 1000))
                 << "</td>";
        }
        html << "</tr>\n";
    }
    html << "<tr><th>total</th><td></td>";
    for (const EnergyEstimate& e : estimates) html << "<td><b>" << fmt("%.2f", e.total_pj / n / 1000) << "</b></td>";
    html << "</tr></table>\n<p>NeuroBench: Effective_ACs "
         << fmt("%.0f", static_cast<double>(f.counts.effective_acs) / n) << ", Effective_MACs "
         << fmt("%.0f", static_cast<double>(f.counts.effective_macs) / n) << ", Dense "
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

}  // namespace softspike
