#include "core/triangle.hpp"

#include <algorithm>
#include <cmath>

#include "core/dense_kernels.hpp"
#include "core/fast_pow.hpp"
#include "core/vector_clones.hpp"

namespace softspike {

namespace {

// One row of triangle_rows: the mean by eight partial sums in double, in a fixed order (the same bits whichever
// clone runs), then max(0, u - mean)^p.
SOFTSPIKE_VECTOR_CLONES
void triangle_row(float* row, std::size_t n, float power, bool linear) {
    double partial[8] = {};
    std::size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        for (std::size_t j = 0; j < 8; ++j) partial[j] += row[k + j];
    }
    double sum = 0.0;
    for (const double s : partial) sum += s;
    for (; k < n; ++k) sum += row[k];
    const double mean = sum / static_cast<double>(n);
    if (linear) {
        for (k = 0; k < n; ++k) row[k] = std::max(0.0F, static_cast<float>(row[k] - mean));
        return;
    }
    for (k = 0; k < n; ++k) row[k] = fast_pow_positive(std::max(0.0F, static_cast<float>(row[k] - mean)), power);
}

}  // namespace

void triangle_rows(std::span<float> u, std::size_t rows, double power) {
    if (rows == 0) return;
    const std::size_t n = u.size() / rows;
    const bool linear = power == 1.0;
    const auto p = static_cast<float>(power);
    // fast_pow_positive, not powf: powf was 12 % of a deep run's profile, a call per unit that does not vectorise.
    for_each_row(rows, [&](std::size_t r) { triangle_row(u.data() + r * n, n, p, linear); });
}

void triangle_backward_rows(std::span<const float> u, std::size_t rows, double power, std::span<float> g) {
    if (rows == 0) return;
    const std::size_t n = u.size() / rows;
    for_each_row(rows, [&](std::size_t r) {
        const float* ur = u.data() + r * n;
        float* gr = g.data() + r * n;
        // The row mean by one plain sum in double: it can differ from the forward pass's (eight partial sums) in
        // the last bits, which moves a slope only for a unit within that distance of the mean.
        double sum = 0.0;
        for (std::size_t k = 0; k < n; ++k) sum += ur[k];
        const double mean = sum / static_cast<double>(n);
        double total = 0.0;
        for (std::size_t k = 0; k < n; ++k) {
            const double above = ur[k] - mean;
            const double slope = above > 0.0 ? power * std::pow(above, power - 1.0) : 0.0;
            gr[k] = static_cast<float>(gr[k] * slope);
            total += gr[k];
        }
        const auto shift = static_cast<float>(total / static_cast<double>(n));
        for (std::size_t k = 0; k < n; ++k) gr[k] -= shift;
    });
}

}  // namespace softspike
