#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace softspike {

// What the layers of the rate model pass on and what its read-outs see.
enum class RateFeatures : std::uint8_t {
    softmax,   // y = softmax(u / feature_temperature): what spike counts estimate
    triangle,  // max(0, u_k - mean_l u_l), the multilayer SoftHebb paper's activation
};

// The dense rate form of the network (docs/model.md §7), built from the same config as the spiking one: the
// first layer is population.neurons wide and learns with plasticity.rule from the same initial weights.
struct RateParams {
    std::vector<std::size_t> hidden_layers;  // soft-WTA layers stacked on the first, each learning locally
    std::size_t batch = 1;                   // 1: on-line, like the spiking form; more: mini-batches (mean update)
    std::size_t epochs = 0;                  // 0: training.epochs
    // Per-sample eta; 0 derives it from the spiking form: plasticity.learning_rate times the expected output
    // spikes of a training presentation, so that both forms take the same expected step per image.
    double learning_rate = 0.0;
    double temperature = 0.0;       // softmax temperature while learning; 0: population.temperature
    bool anti_hebbian = false;      // multilayer SoftHebb: non-winners learn with -y_k
    bool normalise_update = false;  // multilayer SoftHebb: each update divided by its largest |dw| before eta
    bool learn_biases = false;      // SoftHebb's log-prior bias rule db_k = eta_b (e^{-b_k} y_k - 1)
    double bias_learning_rate = 0.001;
    RateFeatures features = RateFeatures::softmax;
    double feature_temperature = 0.0;  // softmax features; 0: evaluation.temperature
};

}  // namespace softspike
