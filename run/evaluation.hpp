#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "core/dataset.hpp"
#include "core/progress.hpp"
#include "network/network_model.hpp"
#include "network/spiking_network.hpp"
#include "readout/l2_selection.hpp"
#include "readout/linear_readout.hpp"
#include "readout/rate_vectors.hpp"
#include "run/config.hpp"
#include "run/phase_stats.hpp"

namespace softspike {

// A frozen pass over a data set: the rate vector of every image, and optional rasters of the first images.
struct FrozenPass {
    RateVectors rates;
    PhaseStats stats;
    std::vector<std::vector<SpikeRecord>> rasters;
};

// Read-out results on the test set, both read-outs fitted on the training set's rate vectors.
struct ReadoutResult {
    double label_assignment_accuracy = 0.0;
    double linear_readout_accuracy = 0.0;
    double linear_readout_train_accuracy = 0.0;
    double seconds = 0.0;
    std::vector<std::uint8_t> label_assignment_predictions;
    std::vector<std::uint8_t> linear_readout_predictions;
    double linear_readout_l2 = 0.0;           // the l2 the linear read-out was fitted with
    std::optional<L2Selection> l2_selection;  // how it was chosen, when readout.l2_candidates is not empty
};

// Which data set a frozen pass presents: it names the phase and keeps the two sets' random streams apart.
enum class FrozenSet : std::uint8_t { training_set, test_set };

// Presents every image of `data` to the frozen model, in parallel over samples; the numbers do not depend
// on the thread count, since each image has its own random stream and its own time origin.
FrozenPass run_frozen(const Config& config, const NetworkModel& model, const Dataset& data, FrozenSet set,
                      std::size_t raster_samples, bool show_progress, const ProgressSink& progress_sink = {});

// The linear read-out fitted on `train_rates` with readout.*, its l2 chosen on a validation split of them when
// readout.l2_candidates is not empty.
struct FittedReadout {
    LinearReadout readout;
    double l2 = 0.0;
    std::optional<L2Selection> selection;
};
FittedReadout fit_linear_readout(const Config& config, const RateVectors& train_rates, const Dataset& train_data);

// Fits both read-outs on `train` and scores them on `test`.
ReadoutResult fit_readouts(const Config& config, const RateVectors& train, const Dataset& train_data,
                           const RateVectors& test, const Dataset& test_data);
inline ReadoutResult fit_readouts(const Config& config, const FrozenPass& train, const Dataset& train_data,
                                  const FrozenPass& test, const Dataset& test_data) {
    return fit_readouts(config, train.rates, train_data, test.rates, test_data);
}

}  // namespace softspike
