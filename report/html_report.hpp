#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chip/cost_table.hpp"
#include "run/compare.hpp"
#include "run/pipeline_results.hpp"

namespace softspike {

// report.html: one self-contained page (inline SVG and PNG, no script, nothing fetched) showing what a run
// learned and what it cost.

// train and eval: receptive fields of `model`, the running accuracy, the final read-out accuracies, spike
// rasters of the first test images (output.raster_samples), both confusion matrices, and the per-image
// counts and energy of every phase.
std::string render_run_report(const RunReport& report, const NetworkModel& model, std::size_t pixels_per_image);

// events: receptive fields of the weights used, and counts and energy per phase form.
std::string render_events_report(const std::string& command, const NetworkModel& model, std::size_t pixels_per_image,
                                 const std::vector<std::pair<std::string, HardwareFigures>>& phases,
                                 const std::vector<CostTable>& tables);

// compare: the table of both forms, the accuracy-versus-synaptic-events curve of the spiking sweep against
// the rate model's point, training costs and curves, and the receptive fields of `model`.
std::string render_compare_report(const std::string& command, const CompareResult& result, const NetworkModel& model,
                                  std::size_t pixels_per_image);

}  // namespace softspike
