#include "core/systematic_sampling.hpp"

#include <algorithm>
#include <cmath>

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

std::size_t systematic_quantise(std::span<const float> values, double quantum, double start,
                                std::vector<std::uint32_t>& sources) {
    const std::size_t first = sources.size();
    const double scale = 1.0 / quantum;
    double cumulative = 0.0;
    double fired = 0.0;  // ceil(C_{i-1} - start): spikes so far (0 at C_0 = 0, since start is in [0, 1))
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] <= 0.0F) continue;
        cumulative += static_cast<double>(values[i]) * scale;
        const double now = std::ceil(cumulative - start);
        for (double n = fired; n < now; n += 1.0) sources.push_back(static_cast<std::uint32_t>(i));
        fired = std::max(fired, now);
    }
    return sources.size() - first;
}

}  // namespace softspike
