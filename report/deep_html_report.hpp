#pragma once
#include <string>

#include "run/pipeline_results.hpp"

namespace softspike {

// report.html of a deep network's train or events run: accuracy, the kernels (the first block's drawn as
// images, every block's norms), the unsupervised learning curve (kernel norms through each stage), each block's
// activation sparsity, and per phase each block's counts and energy.
std::string render_deep_report(const DeepReport& report);

}  // namespace softspike
