#pragma once
#include <cstddef>
#include <span>
#include <vector>

namespace softspike {

// How a batch's summed update becomes a step (multilayer SoftHebb, docs/model.md §5.1): the rates per neuron
// and the normalisation by the update's largest entry. Shared by the rate form's dense and convolutional
// layers and the spiking form's convolutional learner, so that both forms step the same way.

// eta_k = rate * (|‖w_k‖ - norm_target| + 1e-10)^adaptive_power / divisor for each of the `neurons` columns
// of w (inputs x neurons, source-major); adaptive_power 0: rate / divisor for every neuron. Each column's norm
// is summed over the inputs in order, whichever thread takes its block: the same bits on any thread count.
std::vector<float> neuron_learning_rates(std::span<const float> w, std::size_t inputs, std::size_t neurons, double rate,
                                         double adaptive_power, double norm_target, double divisor);

// Per column of w (inputs x neurons, source-major) its squared Euclidean norm, summed over the inputs in order,
// whichever thread takes its block: the same bits on any thread count.
std::vector<double> column_norms_squared(std::span<const float> w, std::size_t inputs, std::size_t neurons);

// Each neuron's (kernel's) weight norm, rounded to float: what SoftHebb drives towards norm_target.
std::vector<float> column_norms(std::span<const float> w, std::size_t inputs, std::size_t neurons);

// The largest |entry| of `delta` (rows x cols); rows in parallel (a maximum does not depend on the order).
float largest_entry(std::span<const float> delta, std::size_t rows, std::size_t cols);

// w (rows x cols) += delta diag(step), an entry that would be subnormal flushed to 0 (subnormal weights cost
// the sgemm kernels a hundredfold).
void step_weights(std::span<float> w, std::span<const float> delta, std::span<const float> step, std::size_t rows,
                  std::size_t cols);

}  // namespace softspike
