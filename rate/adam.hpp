#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace softspike {

// Adam over one tensor of parameters (Kingma and Ba 2015: beta1 0.9, beta2 0.999, epsilon 1e-8, with bias
// correction as PyTorch applies it): what the backpropagation baselines train with. Several tensors stepped
// together with the same rate are one Adam over all of them.
class Adam {
public:
    explicit Adam(std::size_t size) : m_(size, 0.0F), v_(size, 0.0F) {}
    // One step: theta -= learning_rate * m_hat / (sqrt(v_hat) + epsilon) for the gradient `grad`.
    void step(std::span<float> theta, std::span<const float> grad, double learning_rate);

private:
    std::vector<float> m_;  // first moment, per parameter
    std::vector<float> v_;  // second moment, per parameter
    std::uint64_t steps_ = 0;
};

}  // namespace softspike
