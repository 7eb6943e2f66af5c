#pragma once
#include <cstddef>
#include <span>

namespace softspike {

// The triangle activation with a power, over `rows` rows of drives in place: max(0, u_k - mean_l u_l)^power
// (multilayer SoftHebb's forward activation; docs/model.md §12). Subtracting the row's mean is a competition
// between the channels of a position: both forms of a conv block use it.
void triangle_rows(std::span<float> u, std::size_t rows, double power);

}  // namespace softspike
