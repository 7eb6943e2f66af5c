#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "readout/rate_vectors.hpp"

namespace softspike {

// How the linear read-out is fitted.
enum class ReadoutSolver {
    sgd,    // mini-batch SGD with momentum: epochs, learning_rate, batch
    lbfgs,  // full-batch L-BFGS to the minimum of the same convex objective: max_iterations
    adam,   // mini-batch Adam with dropout on the inputs, as the multilayer SoftHebb paper trains its classifier:
            // epochs, learning_rate, batch, dropout
};

// Training parameters of the linear read-out.
struct LinearReadoutParams {
    ReadoutSolver solver = ReadoutSolver::lbfgs;
    std::size_t epochs = 20;
    double learning_rate = 0.01;  // initial step, decayed linearly to zero over the epochs
    double l2 = 1e-4;
    std::size_t batch = 32;
    std::size_t max_iterations = 500;  // L-BFGS
    // When not empty, l2 is chosen among these on a validation split of the training rate vectors, never on
    // the test set (readout/l2_selection.hpp), and the read-out is then refitted on every training vector.
    std::vector<double> l2_candidates = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1};
    double validation_fraction = 0.1;  // of the training vectors held out to choose l2
    double dropout = 0.0;  // Adam: probability that an input is dropped (inverted dropout) in each presentation
};

// The Adam solver's learning rate in `epoch` (from 0) of `epochs`: `initial`, halved at 20, 35, 50, 60, 70, 80
// and 90 % of the epochs (each milestone rounded down; milestones at epoch 0 are skipped).
double adam_epoch_learning_rate(double initial, std::size_t epoch, std::size_t epochs);

// Softmax regression on standardised rate vectors (the SoftHebb papers' linear read-out): minimises the mean
// cross-entropy plus l2 / 2 times the squared weights (not the biases), by mini-batch SGD with momentum 0.9
// over a seeded permutation per epoch, or by full-batch L-BFGS, which reaches the minimum (SGD stopped
// about 0.2 points of test accuracy short of it on the default model), or by mini-batch Adam with dropout on
// its inputs and a step-wise decaying rate (readout/linear_readout_adam.cpp), which is not a minimiser of
// that objective but the multilayer SoftHebb paper's classifier.
class LinearReadout {
public:
    // Fits on the rows of `rates` listed in `rows`, in that order, or on every row when `rows` is empty;
    // `labels` has one label per fitted row. A list of rows, not a copy: a deep network's 60,000 x 13,824
    // features are 3.3 GB, and the l2 selection fits on nine tenths of them.
    void fit(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes,
             const LinearReadoutParams& params, std::uint64_t seed, std::span<const std::size_t> rows = {});
    [[nodiscard]] std::uint8_t predict(std::span<const float> rate) const;
    // One prediction per listed row of `rates` (every row when `rows` is empty).
    [[nodiscard]] std::vector<std::uint8_t> predict(const RateVectors& rates,
                                                    std::span<const std::size_t> rows = {}) const;
    // The gradient of this row's cross-entropy -log p(label | rate) with respect to the rate vector, into
    // `gradient` (features()), and the cross-entropy into *loss when given; returns the predicted class. For attacks
    // that differentiate through the read-out.
    std::uint8_t loss_gradient(std::span<const float> rate, std::uint8_t label, std::span<float> gradient,
                               double* loss = nullptr) const;
    [[nodiscard]] std::size_t features() const { return features_; }
    [[nodiscard]] std::size_t classes() const { return classes_; }
    // A read-out given rather than fitted (the backpropagation baseline's last layer): logits = weights . rate +
    // bias, `weights` classes x features, the rates taken as they are (no standardisation).
    [[nodiscard]] static LinearReadout from_parameters(std::size_t classes, std::size_t features,
                                                       std::span<const float> weights, std::span<const float> bias);
    // Mean cross-entropy on the data of the last epoch, for the report.
    [[nodiscard]] double final_training_loss() const { return final_loss_; }
    // L-BFGS iterations, or Adam steps, the last fit took (0 for SGD).
    [[nodiscard]] std::size_t iterations() const { return iterations_; }

private:
    void logits(std::span<const float> rate, std::vector<double>& out) const;
    void fit_sgd(const RateVectors& rates, std::span<const std::size_t> rows, std::span<const std::uint8_t> labels,
                 const LinearReadoutParams& params, std::uint64_t seed);
    void fit_lbfgs(const RateVectors& rates, std::span<const std::size_t> rows, std::span<const std::uint8_t> labels,
                   const LinearReadoutParams& params);
    void fit_adam(const RateVectors& rates, std::span<const std::size_t> rows, std::span<const std::uint8_t> labels,
                  const LinearReadoutParams& params, std::uint64_t seed);

    std::size_t classes_ = 0;
    std::size_t features_ = 0;
    std::vector<float> mean_;
    std::vector<float> inv_std_;
    std::vector<double> weights_;  // classes x features
    std::vector<double> bias_;
    double final_loss_ = 0.0;
    std::size_t iterations_ = 0;
};

}  // namespace softspike
