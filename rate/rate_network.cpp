#include "rate/rate_network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"

namespace softspike {

void activate(std::span<float> u, std::size_t rows, RateFeatures kind, double temperature) {
    if (kind == RateFeatures::softmax) {
        softmax_rows(u, rows, temperature);
        return;
    }
    const std::size_t n = u.size() / rows;
    for_each_row(rows, [&](std::size_t i) {
        float* row = u.data() + i * n;
        const double mean = std::accumulate(row, row + n, 0.0) / static_cast<double>(n);
        for (std::size_t k = 0; k < n; ++k) row[k] = std::max(0.0F, static_cast<float>(row[k] - mean));
    });
}

namespace {

void normalise_rows(std::span<float> x, std::size_t rows) {
    const std::size_t n = x.size() / rows;
    for (std::size_t r = 0; r < rows; ++r) {
        float* row = x.data() + r * n;
        double sum = 0.0;
        for (std::size_t k = 0; k < n; ++k) sum += static_cast<double>(row[k]) * row[k];
        if (sum > 0.0) {
            const auto inv = static_cast<float>(1.0 / std::sqrt(sum));
            for (std::size_t k = 0; k < n; ++k) row[k] *= inv;
        }
    }
}

}  // namespace

RateNetwork::RateNetwork(std::vector<NetworkModel> layers, const RateNetworkParams& params)
    : features_(params.features), feature_temperature_(params.feature_temperature) {
    for (NetworkModel& model : layers) layers_.emplace_back(std::move(model), params.layer);
    for (std::size_t l = 1; l < layers_.size(); ++l) {
        if (layers_[l].inputs() != layers_[l - 1].neurons()) {
            throw std::invalid_argument("RateNetwork: layer " + std::to_string(l) + " has " +
                                        std::to_string(layers_[l].inputs()) + " inputs, the layer below " +
                                        std::to_string(layers_[l - 1].neurons()) + " neurons");
        }
    }
}

std::vector<NetworkModel> RateNetwork::models() const {
    std::vector<NetworkModel> out;
    for (const RateLayer& layer : layers_) out.push_back(layer.model());
    return out;
}

void RateNetwork::run(std::span<const float> x, std::size_t batch, std::vector<float>& features, RateCounters& counters,
                      const PlasticityRule* rule) {
    std::vector<float> input;
    std::span<const float> in = x;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        RateLayer& layer = layers_[l];
        layer.forward(in, batch, u_, counters);
        if (rule != nullptr) layer.learn(in, batch, u_, *rule, counters);
        activate(u_, batch, features_, feature_temperature_);
        if (l + 1 == layers_.size()) {
            features.swap(u_);
        } else {
            normalise_rows(u_, batch);
            input.swap(u_);
            in = input;
        }
    }
}

}  // namespace softspike
