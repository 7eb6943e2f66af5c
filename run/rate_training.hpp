#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "core/dataset.hpp"
#include "network/network_model.hpp"
#include "rate/rate_network.hpp"
#include "readout/rate_vectors.hpp"
#include "run/config.hpp"

namespace softspike {

// The layers' initial weights: the first is the spiking network's initial model (same seed, same weights);
// stacked layers draw theirs from streams of their own.
std::vector<NetworkModel> initial_rate_layers(const Config& config, std::size_t inputs);

// What training the rate model did.
struct RateTrainingResult {
    std::vector<NetworkModel> layers;
    RateCounters counters;
    std::uint64_t images = 0;
    double seconds = 0.0;
    // (images seen, prequential accuracy of an on-line label assignment of the winning last-layer neuron
    // over the last 1000 images), as for the spiking form.
    std::vector<std::pair<std::uint64_t, double>> running_accuracy;
};

// rate.epochs (or training.epochs) passes over `data` in the spiking form's shuffled order, in
// mini-batches of rate.batch images.
RateTrainingResult train_rate(const Config& config, const Dataset& data, bool show_progress);

// The last layer's features for every image of `data`, frozen weights, in parallel over blocks of images;
// the numbers do not depend on the thread count.
struct RatePass {
    RateVectors features;
    RateCounters counters;
    double seconds = 0.0;
};
RatePass run_rate_frozen(const Config& config, const std::vector<NetworkModel>& layers, const Dataset& data,
                         const char* phase, bool show_progress);

}  // namespace softspike
