#pragma once
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "run/compare.hpp"
#include "run/pipeline_io.hpp"

namespace softspike {

// One command as the user gave it, parsed by apps/: what to run and from which inputs.
struct PipelineRequest {
    std::string command;       // "train", "eval", "events", "compare", "robustness", "export-nir" or "run-nir"
    std::string command_line;  // as typed, for the reports
    std::string config_path;
    std::vector<std::string> overrides;  // --set, --seed, --threads, --out as key=value
    std::string weights_path;            // eval, events, robustness: --weights
    std::string resume_dir;              // train: --resume
    std::string nir_path;                // export-nir: --out; run-nir: the graph to run
    std::vector<std::string> cost_tables;
    std::string chip_path;    // events: --chip, a chip description to map the network onto
    bool learning = false;    // events: count the training pass
    bool export_npy = false;  // train, eval
    CompareForms forms;       // compare
    bool quiet = false;
    // Instead of the progress lines on stderr (the Python module's callback): the single-layer network's
    // training and frozen passes report here; deep networks' phases still print to stderr.
    ProgressSink progress_sink;
};

// Runs one command from its inputs to its outputs: reads and checks every input through `io` (config or
// resume point, cost tables, weights, data, sizes against the machine's memory), opens the output
// directory only then, runs the train, eval, events or compare pipeline, and writes its files through `io`.
// Errors are the typed exceptions of core/errors.hpp; apps/ maps them to exit codes.
void run_pipeline(const PipelineRequest& request, PipelineIo& io);

}  // namespace softspike
