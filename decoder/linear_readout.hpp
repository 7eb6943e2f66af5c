#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "decoder/rate_vectors.hpp"

namespace softspike {

// Training parameters of the linear read-out.
struct LinearReadoutParams {
    std::size_t epochs = 20;
    double learning_rate = 0.01;  // initial step, decayed linearly to zero over the epochs
    double l2 = 1e-4;
    std::size_t batch = 32;
};

// Softmax regression on standardised rate vectors (the SoftHebb papers' linear read-out), trained by
// mini-batch SGD with momentum 0.9; the sample order is a seeded permutation per epoch.
class LinearReadout {
public:
    void fit(const RateVectors& rates, std::span<const std::uint8_t> labels, std::size_t classes,
             const LinearReadoutParams& params, std::uint64_t seed);
    [[nodiscard]] std::uint8_t predict(std::span<const float> rate) const;
    [[nodiscard]] std::vector<std::uint8_t> predict(const RateVectors& rates) const;
    // Mean cross-entropy on the data of the last epoch, for the report.
    [[nodiscard]] double final_training_loss() const { return final_loss_; }

private:
    void logits(std::span<const float> rate, std::vector<double>& out) const;

    std::size_t classes_ = 0;
    std::size_t features_ = 0;
    std::vector<float> mean_;
    std::vector<float> inv_std_;
    std::vector<double> weights_;  // classes x features
    std::vector<double> bias_;
    double final_loss_ = 0.0;
};

}  // namespace softspike
