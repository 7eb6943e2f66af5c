#include "plasticity/batch_step.hpp"

#include <algorithm>
#include <cmath>

#include "core/dense_kernels.hpp"

namespace softspike {

std::vector<float> neuron_learning_rates(std::span<const float> w, std::size_t inputs, std::size_t neurons, double rate,
                                         double adaptive_power, double norm_target, double divisor) {
    std::vector<float> eta(neurons, static_cast<float>(rate / divisor));
    if (!(adaptive_power > 0.0)) return eta;
    const std::vector<double> norm_sq = column_norms_squared(w, inputs, neurons);
    for (std::size_t k = 0; k < neurons; ++k) {
        eta[k] = static_cast<float>(
            rate * std::pow(std::abs(std::sqrt(norm_sq[k]) - norm_target) + 1e-10, adaptive_power) / divisor);
    }
    return eta;
}

std::vector<double> column_norms_squared(std::span<const float> w, std::size_t inputs, std::size_t neurons) {
    std::vector<double> norm_sq(neurons, 0.0);
    for_each_column_block(neurons, [&](std::size_t first, std::size_t width) {
        for (std::size_t i = 0; i < inputs; ++i) {
            const float* row = w.data() + i * neurons;
            for (std::size_t k = first; k < first + width; ++k) norm_sq[k] += static_cast<double>(row[k]) * row[k];
        }
    });
    return norm_sq;
}

std::vector<float> column_norms(std::span<const float> w, std::size_t inputs, std::size_t neurons) {
    const std::vector<double> norm_sq = column_norms_squared(w, inputs, neurons);
    std::vector<float> norms(neurons);
    for (std::size_t k = 0; k < neurons; ++k) norms[k] = static_cast<float>(std::sqrt(norm_sq[k]));
    return norms;
}

float largest_entry(std::span<const float> delta, std::size_t rows, std::size_t cols) {
    std::vector<float> row_largest(rows, 0.0F);
    for_each_row(rows, [&](std::size_t i) {
        const float* change = delta.data() + i * cols;
        float m = 0.0F;
        for (std::size_t k = 0; k < cols; ++k) m = std::max(m, std::abs(change[k]));
        row_largest[i] = m;
    });
    float largest = 0.0F;
    for (const float v : row_largest) largest = std::max(largest, v);
    return largest;
}

void step_weights(std::span<float> w, std::span<const float> delta, std::span<const float> step, std::size_t rows,
                  std::size_t cols) {
    for_each_row(rows, [&](std::size_t i) {
        float* row = w.data() + i * cols;
        const float* change = delta.data() + i * cols;
        for (std::size_t k = 0; k < cols; ++k) {
            const float v = row[k] + change[k] * step[k];
            row[k] = std::abs(v) < 1e-30F ? 0.0F : v;
        }
    });
}

}  // namespace softspike
