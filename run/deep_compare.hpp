#pragma once
#include "core/dataset.hpp"
#include "run/compare.hpp"
#include "run/config.hpp"

namespace softspike {

// `softspike compare` for a deep network (config.network.layers): each form learns its kernels from the same
// initial ones (layer by layer), each set of kernels is evaluated in its own form and (compare.transfer) in the
// other, and the spike-trained kernels (the rate-trained ones when only the rate form ran) are evaluated in the
// spiking form with each map's budget set in turn to every compare.deep_budgets value: accuracy against
// synaptic events per layer. Every evaluation fits the configured read-out on its own training-set features.
CompareResult run_deep_compare(const Config& config, const Dataset& train_data, const Dataset& test_data,
                               const CompareForms& forms, bool show_progress);

}  // namespace softspike
