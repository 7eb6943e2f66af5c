#pragma once
#include <nlohmann/json.hpp>

#include "run/pipeline_results.hpp"

namespace softspike {

// The versions of softspike and of the libraries it was built with.
nlohmann::json build_versions();

// Peak resident set size of this process so far, in MiB (getrusage).
double peak_rss_mib();

// What every report.json opens with, written here only: the command as given, the seed, the threads used,
// the library versions, the config as run (every key) and the peak RSS at the time of writing.
nlohmann::json report_header(const RunInfo& info);

}  // namespace softspike
