#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chip/cost_table.hpp"
#include "chip/hardware_figures.hpp"

namespace softspike {

// The pieces every report.html is made of: one self-contained page, inline SVG and PNG, nothing fetched.

// Text made safe inside HTML elements and attribute values.
std::string escape(const std::string& text);
// snprintf of one number.
std::string fmt(const char* format, double value);
// The page's head, its style and the <h1>.
std::string page_start(const std::string& title);
// The page's end. It only records, for tests and for the curious, whether every embedded image decoded
// (body attribute data-images-decoded="decoded/total"); the page reads complete without it.
std::string page_end();
// A confusion matrix: true classes in rows, predictions in columns, cells shaded by the row's share.
std::string confusion(const std::string& id, const std::vector<std::uint8_t>& predictions,
                      const std::vector<std::uint8_t>& labels, std::size_t classes);
// A phase's counts per image and their energy under each table, with the NeuroBench metrics.
std::string cost_table_html(const std::string& id, const std::string& title, const HardwareFigures& f,
                            const std::vector<CostTable>& tables);
// Where the cost tables' figures come from.
std::string sources(const std::vector<CostTable>& tables);

}  // namespace softspike
