#include "rate/adam.hpp"

#include <cmath>
#include <stdexcept>

namespace softspike {

void Adam::step(std::span<float> theta, std::span<const float> grad, double learning_rate) {
    if (theta.size() != m_.size() || grad.size() != m_.size()) {
        throw std::invalid_argument("Adam: parameter or gradient size does not match");
    }
    constexpr double kBeta1 = 0.9;
    constexpr double kBeta2 = 0.999;
    constexpr double kEpsilon = 1e-8;
    ++steps_;
    // The bias corrections folded into the step and epsilon, in double, once per step.
    const double correction1 = 1.0 - std::pow(kBeta1, static_cast<double>(steps_));
    const double correction2 = 1.0 - std::pow(kBeta2, static_cast<double>(steps_));
    const auto step = static_cast<float>(learning_rate * std::sqrt(correction2) / correction1);
    const auto epsilon = static_cast<float>(kEpsilon * std::sqrt(correction2));
    for (std::size_t i = 0; i < theta.size(); ++i) {
        m_[i] = static_cast<float>(kBeta1) * m_[i] + static_cast<float>(1.0 - kBeta1) * grad[i];
        v_[i] = static_cast<float>(kBeta2) * v_[i] + static_cast<float>(1.0 - kBeta2) * grad[i] * grad[i];
        theta[i] -= step * m_[i] / (std::sqrt(v_[i]) + epsilon);
    }
}

}  // namespace softspike
