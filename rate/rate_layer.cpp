#include "rate/rate_layer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"
#include "core/fast_exp.hpp"
#include "core/numerical_error.hpp"
#include "plasticity/batch_step.hpp"

namespace softspike {

void softmax_rows(std::span<float> u, std::size_t rows, double temperature) {
    if (rows == 0) return;
    const std::size_t n = u.size() / rows;
    const auto inv_t = static_cast<float>(1.0 / temperature);
    for_each_row(rows, [&](std::size_t r) {
        float* row = u.data() + r * n;
        const float top = *std::max_element(row, row + n);
        // Shifted by the maximum, every exponent is <= 0: the vectorised exp applies, and nothing overflows.
        // Outputs below e^-40 (4e-18 of the winner's) are set to 0: they change no sum, and their products
        // with learning rates would be subnormal floats, which cost the sgemm kernels a hundredfold.
        float total = 0.0F;
        for (std::size_t k = 0; k < n; ++k) {
            const float a = (row[k] - top) * inv_t;
            row[k] = a < -40.0F ? 0.0F : fast_exp_nonpositive(a);
            total += row[k];
        }
        const float inv = 1.0F / total;
        for (std::size_t k = 0; k < n; ++k) row[k] *= inv;
    });
}

RateLayer::RateLayer(NetworkModel model, const RateLayerParams& params) : model_(std::move(model)), params_(params) {
    if (model_.biases.size() != model_.weights.targets()) {
        throw std::invalid_argument("RateLayer: " + std::to_string(model_.biases.size()) + " biases for " +
                                    std::to_string(model_.weights.targets()) + " neurons");
    }
}

void RateLayer::forward(std::span<const float> x, std::size_t batch, std::vector<float>& u,
                        RateCounters& counters) const {
    const std::size_t d = inputs();
    const std::size_t n = neurons();
    u.resize(batch * n);
    for (std::size_t b = 0; b < batch; ++b) std::copy(model_.biases.begin(), model_.biases.end(), u.begin() + b * n);
    gemm_nn(x, model_.weights.weights(), u, batch, d, n, 1.0F);
    std::uint64_t nonzero = 0;
    for (std::size_t j = 0; j < batch * d; ++j) nonzero += x[j] != 0.0F ? 1 : 0;
    counters.samples += batch;
    counters.macs += static_cast<std::uint64_t>(batch) * d * n;
    counters.effective_macs += nonzero * n;
}

void RateLayer::learn(std::span<const float> x, std::size_t batch, std::span<const float> u, const PlasticityRule& rule,
                      RateCounters& counters) {
    const std::size_t d = inputs();
    const std::size_t n = neurons();
    if (batch == 0) return;
    // Non-finite weights show in the drives of the next forward pass: checking u costs batch x n, not d x n.
    for (std::size_t j = 0; j < batch * n; ++j) {
        if (!std::isfinite(u[j])) {
            throw NumericalError("rate model: the drive of neuron " + std::to_string(j % n) +
                                 " became non-finite (learning rate " + std::to_string(params_.learning_rate) +
                                 "): lower rate.learning_rate or plasticity.learning_rate");
        }
    }
    y_.assign(u.begin(), u.begin() + static_cast<std::ptrdiff_t>(batch * n));
    softmax_rows(y_, batch, params_.temperature);
    // The biases learn from the mean soft-WTA output over the batch (before any anti-Hebbian sign flip).
    std::vector<double> mean_y;
    if (params_.learn_biases || params_.homeostasis_rate > 0.0) {
        mean_y.assign(n, 0.0);
        for (std::size_t k = 0; k < n; ++k) {
            for (std::size_t b = 0; b < batch; ++b) mean_y[k] += y_[b * n + k];
            mean_y[k] /= static_cast<double>(batch);
        }
    }
    hebb_.resize(batch * n);
    decay_.resize(batch * n);
    for_each_row(batch, [&](std::size_t b) {
        const std::size_t at = b * n;
        if (params_.anti_hebbian) {
            const float* ub = u.data() + at;
            const auto winner = static_cast<std::size_t>(std::max_element(ub, ub + n) - ub);
            float* yb = y_.data() + at;
            for (std::size_t k = 0; k < n; ++k) yb[k] = k == winner ? yb[k] : -yb[k];
        }
        rule.rate_terms(u.subspan(at, n), std::span<const float>(y_).subspan(at, n),
                        std::span<float>(hebb_).subspan(at, n), std::span<float>(decay_).subspan(at, n));
        if (params_.learning_top_k > 0 && params_.learning_top_k < n) keep_top_k(u.subspan(at, n), at);
    });
    std::vector<float>& w = model_.weights.weights();
    if (params_.normalise_per_neuron) normalise_terms_per_neuron(x, batch);
    // eta_k / batch per neuron: the batch applies the mean of its samples' updates.
    const std::vector<float> eta = neuron_learning_rates(w, d, n, params_.learning_rate, params_.adaptive_power,
                                                         params_.norm_target, static_cast<double>(batch));
    if (params_.normalise_update) {
        apply_normalised_update(x, batch, eta);
    } else {
        apply_update(x, batch, eta);
    }
    counters.plasticity_macs += static_cast<std::uint64_t>(batch) * d * n;
    counters.plasticity_updates += static_cast<std::uint64_t>(d) * n;
    learn_biases(mean_y, counters);
}

void RateLayer::keep_top_k(std::span<const float> u, std::size_t at) {
    const std::size_t n = u.size();
    const std::size_t k = params_.learning_top_k;
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0U);
    // Largest drive first, the lower index first among equal drives: the same k whatever the sort's internals.
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k - 1), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return u[a] > u[b] || (u[a] == u[b] && a < b); });
    for (std::size_t j = k; j < n; ++j) {  // past the k-th: the neurons that do not learn
        hebb_[at + order[j]] = 0.0F;
        decay_[at + order[j]] = 0.0F;
    }
}

void RateLayer::normalise_terms_per_neuron(std::span<const float> x, std::size_t batch) {
    const std::size_t d = inputs();
    const std::size_t n = neurons();
    const std::vector<float>& w = model_.weights.weights();
    for_each_row(batch, [&](std::size_t b) {
        // The spiking step of neuron k is eta (x_hat - (decay / hebb) w_k) / max_i |x_hat_i - (decay / hebb) w_ik|,
        // taken with probability y_k: here the same ratio, so the expected step stays y_k-weighted.
        std::vector<float> ratio(n);
        std::vector<float> largest(n, 0.0F);
        float* hb = hebb_.data() + b * n;
        float* db = decay_.data() + b * n;
        for (std::size_t k = 0; k < n; ++k) ratio[k] = hb[k] != 0.0F ? db[k] / hb[k] : 0.0F;
        const float* xb = x.data() + b * d;
        for (std::size_t i = 0; i < d; ++i) {
            const float* row = w.data() + i * n;
            for (std::size_t k = 0; k < n; ++k) largest[k] = std::max(largest[k], std::abs(xb[i] - ratio[k] * row[k]));
        }
        for (std::size_t k = 0; k < n; ++k) {
            const float scale = largest[k] > 0.0F ? 1.0F / largest[k] : 0.0F;
            hb[k] *= scale;
            db[k] *= scale;
        }
    });
}

std::vector<float> RateLayer::decay_sums(std::size_t batch) const {
    const std::size_t n = neurons();
    std::vector<float> sums(n, 0.0F);
    for (std::size_t b = 0; b < batch; ++b) {
        for (std::size_t k = 0; k < n; ++k) sums[k] += decay_[b * n + k];
    }
    return sums;
}

void RateLayer::apply_update(std::span<const float> x, std::size_t batch, std::span<const float> eta) {
    const std::size_t d = inputs();
    const std::size_t n = neurons();
    std::vector<float>& w = model_.weights.weights();
    // W <- W diag(1 - eta_k sum_b decay_bk) + X^T (G diag(eta_k)): the decay uses the weights before the step.
    std::vector<float> keep = decay_sums(batch);
    for (std::size_t k = 0; k < n; ++k) keep[k] = 1.0F - eta[k] * keep[k];
    for_each_row(batch, [&](std::size_t b) {
        for (std::size_t k = 0; k < n; ++k) {
            const float v = hebb_[b * n + k] * eta[k];
            hebb_[b * n + k] = std::abs(v) < 1e-30F ? 0.0F : v;  // no subnormals into sgemm (see softmax_rows)
        }
    });
    for_each_row(d, [&](std::size_t i) {
        float* row = w.data() + i * n;
        for (std::size_t k = 0; k < n; ++k) {
            // The weights of inputs that are always 0 (the image border) only ever decay: without this flush
            // they sink into subnormal floats, which made on-line training at 400 neurons 3x slower.
            const float v = row[k] * keep[k];
            row[k] = std::abs(v) < 1e-30F ? 0.0F : v;
        }
    });
    gemm_tn_accumulate(x, hebb_, w, batch, d, n, 1.0F);
}

void RateLayer::apply_normalised_update(std::span<const float> x, std::size_t batch, std::span<const float> eta) {
    const std::size_t d = inputs();
    const std::size_t n = neurons();
    std::vector<float>& w = model_.weights.weights();
    // Multilayer SoftHebb's form (docs/model.md §5.1): the update summed over the batch,
    // dW = X^T H - W diag(sum_b decay_bk), is divided by its largest |entry|, then W += dW diag(eta_k). The
    // update must exist whole before its maximum is known, so it is formed in a buffer.
    const std::vector<float> decay_sum = decay_sums(batch);
    delta_.resize(d * n);
    for_each_row(d, [&](std::size_t i) {
        const float* row = w.data() + i * n;
        float* out = delta_.data() + i * n;
        for (std::size_t k = 0; k < n; ++k) out[k] = -row[k] * decay_sum[k];
    });
    for (float& v : hebb_) v = std::abs(v) < 1e-30F ? 0.0F : v;  // no subnormals into sgemm
    gemm_tn_accumulate(x, hebb_, delta_, batch, d, n, 1.0F);
    const float largest = largest_entry(delta_, d, n);
    if (!(largest > 0.0F)) return;
    // eta_k came divided by the batch (the mean update); the normalised update is a sum, scale-free.
    std::vector<float> step(n);
    for (std::size_t k = 0; k < n; ++k) step[k] = eta[k] * static_cast<float>(batch) / largest;
    step_weights(w, delta_, step, d, n);
}

void RateLayer::learn_biases(std::span<const double> mean_y, RateCounters& counters) {
    const std::size_t n = neurons();
    if (params_.learn_biases) {
        // SoftHebb's bias rule: b_k settles at log E[y_k], the log-prior of component k.
        for (std::size_t k = 0; k < n; ++k) {
            float& bias = model_.biases[k];
            bias = static_cast<float>(bias + params_.bias_learning_rate * (std::exp(-bias) * mean_y[k] - 1.0));
        }
        counters.bias_updates += n;
    }
    if (params_.homeostasis_rate > 0.0) {
        const double step = params_.homeostasis_rate * params_.homeostasis_spikes;
        const double share = 1.0 / static_cast<double>(n);
        for (std::size_t k = 0; k < n; ++k) {
            model_.biases[k] = static_cast<float>(model_.biases[k] + step * (share - mean_y[k]));
        }
        counters.bias_updates += n;
    }
}

}  // namespace softspike
