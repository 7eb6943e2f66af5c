#include "core/systematic_sampling.hpp"

namespace softspike {

void systematic_sample(std::span<const float> weights, double total, std::uint32_t k, double start,
                       std::vector<std::uint32_t>& sources) {
    const std::size_t first = sources.size();
    double upper = 0.0;  // the cumulative share up to and including entry i, in units of 1 / k
    std::uint32_t next = 0;
    const double scale = static_cast<double>(k) / total;
    for (std::size_t i = 0; i < weights.size() && next < k; ++i) {
        upper += static_cast<double>(weights[i]) * scale;
        while (next < k && start + static_cast<double>(next) < upper) {
            sources.push_back(static_cast<std::uint32_t>(i));
            ++next;
        }
    }
    if (next < k) {
        std::size_t last = weights.size();
        while (last > 0 && weights[last - 1] <= 0.0F) --last;
        sources.resize(first + k, static_cast<std::uint32_t>(last - 1));
    }
}

}  // namespace softspike
