#pragma once
#include <cstddef>
#include <span>

namespace softspike {

// The triangle activation with a power, over `rows` rows of drives in place: max(0, u_k - mean_l u_l)^power
// (multilayer SoftHebb's forward activation; docs/model.md §12). Subtracting the row's mean is a competition
// between the channels of a position: both forms of a conv block use it.
void triangle_rows(std::span<float> u, std::size_t rows, double power);

// g (rows x n, the gradient with respect to triangle_rows' output) becomes the gradient with respect to its
// input `u` (the drives before activation), in place: with y_k = max(0, u_k - mean)^p,
// d y_k / d u_j = p max(0, u_k - mean)^(p - 1) ([k = j] - 1 / n).
void triangle_backward_rows(std::span<const float> u, std::size_t rows, double power, std::span<float> g);

}  // namespace softspike
