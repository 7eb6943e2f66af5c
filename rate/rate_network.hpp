#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "plasticity/plasticity_rule.hpp"
#include "rate/rate_layer.hpp"
#include "rate/rate_params.hpp"

namespace softspike {

// How a RateNetwork's layers learn and what they pass on, every value resolved (run/lowering.cpp).
struct RateNetworkParams {
    RateLayerParams layer;  // every layer learns alike
    RateFeatures features = RateFeatures::softmax;
    double feature_temperature = 0.03;  // softmax features
};

// The features a layer passes on (docs/model.md §7), in place over `rows` rows of drives u: softmax(u / temperature)
// or the triangle max(0, u_k - mean_l u_l).
void activate(std::span<float> u, std::size_t rows, RateFeatures kind, double temperature);

// The rate model (docs/model.md §7): the first soft-WTA layer, population.neurons wide, and the layers of
// rate.hidden_layers stacked on it. Each layer's input is the previous layer's features (rate.features)
// scaled to unit norm; the read-outs see the last layer's features.
class RateNetwork {
public:
    RateNetwork(std::vector<NetworkModel> layers, const RateNetworkParams& params);

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

}  // namespace softspike
