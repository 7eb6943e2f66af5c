#pragma once
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "core/counters.hpp"
#include "readout/rate_vectors.hpp"
#include "run/config.hpp"
#include "core/dataset.hpp"
#include "chip/hardware_figures.hpp"
#include "network/network_model.hpp"
#include "network/spiking_network.hpp"
#include "chip/synapse_memory.hpp"
#include "run/training_state.hpp"

namespace softspike {

// What one phase (training, or a frozen pass over a data set) did and how long it took.
struct PhaseStats {
    EventCounters counters;
    std::size_t images = 0;
    double seconds = 0.0;
    HardwareFigures hardware;  // the counts in hardware terms, for the weights as the chip held them
};

// The dense rate form of the same layer (docs/model.md §10: u = W x + b, y = softmax(u / T), SoftHebb on every
// synapse once per image), counted by formula over `data` with `weights` as the chip holds them (at the start
// of the phase: when learning, the zero weights the spiking run creates on its way are not followed):
// Effective_MACs = nonzero inputs x nonzero weights of their rows, a weight read per present synapse, one
// membrane (u_k) write per neuron; when learning, one read-modify-write per present synapse. No spikes,
// traces or time steps.
HardwareFigures rate_form_figures(const Config& config, const Dataset& data, const Projection& weights, bool learning);

// The network's shape as hardware sizes it, from the config and the number of input neurons.
NetworkShape network_shape(const Config& config, std::size_t inputs);

// The on-line training pass and what it measured.
struct TrainingResult {
    NetworkModel model;
    PhaseStats stats;  // over the whole pass, resumed sessions included
    // (images seen, prequential accuracy of an on-line label assignment over the last 1000 images): each
    // image is classified with the assignments learned from the images before it.
    std::vector<std::pair<std::uint64_t, double>> running_accuracy;
    // The same for an on-line linear read-out (readout/online_linear_readout.hpp), learned alongside.
    std::vector<std::pair<std::uint64_t, double>> running_accuracy_linear;
    std::uint64_t resumed_from = 0;  // images done when this session started (0: a fresh run)
};

// Called with the training state every training.checkpoint_every images and once at the end.
using CheckpointSink = std::function<void(const TrainingState&)>;

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
};

// Builds the initial model from the config (shape, delay, initial norm, seed).
NetworkModel initial_model(const Config& config, std::size_t inputs);

// What a run will hold in memory at its peak, in bytes, from the sizes alone: the weights and the rate
// vectors of both data sets (the images themselves are already loaded). Checked against the machine's
// memory before anything that size is allocated.
std::uint64_t estimated_run_bytes(const Config& config, std::size_t inputs, std::size_t train_images,
                                  std::size_t test_images);

// The factor on the rule's learning rate for the image after `done` of `total` (training.learning_rate_schedule).
float learning_rate_scale(const TrainingConfig& training, std::uint64_t done, std::uint64_t total);
// One image as the chip sees it: pixel noise (chip.input_noise), the configured code, then the spike budget
// (chip.spike_budget: the earliest spikes only). `rng` is the image's own stream.
EncodedSample encode_sample(std::span<const float> pixels, const Config& config, Rng& rng);

// The chip's synapse memory for this config's network (weight grid, dead synapses).
SynapseMemory synapse_memory(const Config& config, std::size_t inputs);

// A fresh start: the initial model (on the chip's weight grid, dead synapses zero), nothing done.
TrainingState initial_training_state(const Config& config, std::size_t inputs);

// One on-line pass per epoch over `data`, one sample at a time, SoftHebb on every output spike, continuing
// from `state` (images_done of them already done). The result does not depend on where a run was broken
// off and resumed: the weights, counters and running accuracy are bit-identical to an unbroken run's.
TrainingResult train(const Config& config, const Dataset& data, TrainingState state, bool show_progress,
                     const CheckpointSink& checkpoint = {});

// Which data set a frozen pass presents: it names the phase and keeps the two sets' random streams apart.
enum class FrozenSet : std::uint8_t { training_set, test_set };

// Presents every image of `data` to the frozen model, in parallel over samples; the numbers do not depend
// on the thread count, since each image has its own random stream and its own time origin.
FrozenPass run_frozen(const Config& config, const NetworkModel& model, const Dataset& data, FrozenSet set,
                      std::size_t raster_samples, bool show_progress);

// Fits both read-outs on `train` and scores them on `test`.
ReadoutResult fit_readouts(const Config& config, const RateVectors& train, const Dataset& train_data,
                           const RateVectors& test, const Dataset& test_data);
inline ReadoutResult fit_readouts(const Config& config, const FrozenPass& train, const Dataset& train_data,
                                  const FrozenPass& test, const Dataset& test_data) {
    return fit_readouts(config, train.rates, train_data, test.rates, test_data);
}

}  // namespace softspike
