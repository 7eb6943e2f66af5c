#include "network/network_model.hpp"

#include <cmath>

#include "core/random.hpp"

namespace softspike {

NetworkModel make_initial_model(std::size_t inputs, std::size_t neurons, tick_t delay, double initial_norm,
                                std::uint64_t seed) {
    NetworkModel model{Projection(inputs, neurons, delay), std::vector<float>(neurons, 0.0F)};
    for (std::size_t k = 0; k < neurons; ++k) {
        Rng rng = Rng::stream(seed, StreamPurpose::weight_init, k);
        double norm_sq = 0.0;
        for (std::size_t i = 0; i < inputs; ++i) {
            const double w = rng.normal();
            model.weights.at(i, k) = static_cast<float>(w);
            norm_sq += w * w;
        }
        const double factor = initial_norm / std::sqrt(norm_sq);
        for (std::size_t i = 0; i < inputs; ++i) {
            model.weights.at(i, k) = static_cast<float>(model.weights.at(i, k) * factor);
        }
    }
    return model;
}

}  // namespace softspike
