#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "decoder/rate_vectors.hpp"
#include "io/config.hpp"
#include "io/dataset.hpp"
#include "plasticity/plasticity_rule.hpp"
#include "rate/rate_layer.hpp"

namespace softspike {

// The rate model (model.md §1): the first soft-WTA layer, population.neurons wide, and the layers of
// rate.hidden_layers stacked on it. Each layer's input is the previous layer's features (rate.features)
// scaled to unit norm; the read-outs see the last layer's features.
class RateNetwork {
public:
    RateNetwork(std::vector<NetworkModel> layers, const Config& config);

    // The last layer's features for `batch` input rows; when `rule` is given, every layer learns from the
    // batch (locally: each from its own input and drive) after computing its output.
    void run(std::span<const float> x, std::size_t batch, std::vector<float>& features, RateCounters& counters,
             const PlasticityRule* rule = nullptr);

    [[nodiscard]] std::vector<NetworkModel> models() const;
    [[nodiscard]] std::size_t outputs() const { return layers_.back().neurons(); }

private:
    std::vector<RateLayer> layers_;
    RateFeatures features_;
    double feature_temperature_;
    std::vector<float> u_;
    std::vector<float> next_;
};

// Per-sample eta of the rate form: rate.learning_rate, or (0) plasticity.learning_rate times the expected
// output spikes of a spiking training presentation (stochastic form: output_rate_hz x (presentation_ms -
// onset_ms)), so that both forms take the same expected step per image. Throws ConfigError when it cannot
// be derived (LIF form).
double rate_learning_rate(const Config& config);

// Output spikes of a training presentation of the stochastic form: output_rate_hz x (presentation_ms -
// onset_ms). The rate form's homeostasis (population.homeostasis_rate) moves the biases by as much per image,
// in expectation, as the spiking form's does at that many spikes.
double expected_training_spikes(const Config& config);

// The layers' initial weights: the first is the spiking network's initial model (same seed, same weights);
// stacked layers draw theirs from streams of their own.
std::vector<NetworkModel> initial_rate_layers(const Config& config, std::size_t inputs);

// Throws ConfigError if the config's rule has no rate form (STDP).
void require_rate_form(const Config& config);

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
