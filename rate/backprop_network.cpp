#include "rate/backprop_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"
#include "core/random.hpp"
#include "rate/rate_layer.hpp"

namespace softspike {

BackpropNetwork::BackpropNetwork(std::size_t pixels_per_image, const EncoderParams& encoder, std::size_t hidden,
                                 std::size_t classes, double temperature, std::uint64_t seed)
    : pixels_(pixels_per_image),
      encoder_(encoder),
      inputs_(encoded_inputs(pixels_per_image, encoder)),
      hidden_(hidden),
      classes_(classes),
      temperature_(temperature) {
    if (hidden_ == 0 || classes_ < 2 || inputs_ == 0 || !(temperature_ > 0.0)) {
        throw std::invalid_argument("BackpropNetwork: needs inputs, hidden units, two classes and a temperature > 0");
    }
    at_b_ = inputs_ * hidden_;
    at_a_ = at_b_ + hidden_;
    at_c_ = at_a_ + hidden_ * classes_;
    theta_.assign(at_c_ + classes_, 0.0F);
    Rng rng = Rng::stream(seed, StreamPurpose::baseline, 0);
    const auto uniform = [&](std::size_t from, std::size_t to, double bound) {
        for (std::size_t i = from; i < to; ++i) theta_[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
    };
    const double first = 1.0 / std::sqrt(static_cast<double>(inputs_));
    const double second = 1.0 / std::sqrt(static_cast<double>(hidden_));
    uniform(0, at_a_, first);
    uniform(at_a_, theta_.size(), second);
    adam_ = Adam(theta_.size());
}

std::vector<float> BackpropNetwork::parameters() const { return theta_; }

void BackpropNetwork::set_parameters(std::span<const float> values) {
    if (values.size() != theta_.size()) {
        throw std::invalid_argument("BackpropNetwork: " + std::to_string(values.size()) +
                                    " parameters for a network of " + std::to_string(theta_.size()));
    }
    theta_.assign(values.begin(), values.end());
}

void BackpropNetwork::forward(std::span<const float> pixels, std::size_t batch, Pass& pass) const {
    normalised_rows(pixels, batch, pixels_, encoder_, pass.x);
    const std::span<const float> theta(theta_);
    pass.h.resize(batch * hidden_);
    for (std::size_t r = 0; r < batch; ++r) {
        std::copy(theta_.begin() + static_cast<std::ptrdiff_t>(at_b_),
                  theta_.begin() + static_cast<std::ptrdiff_t>(at_a_),
                  pass.h.begin() + static_cast<std::ptrdiff_t>(r * hidden_));
    }
    gemm_nn(pass.x, theta.subspan(0, at_b_), pass.h, batch, inputs_, hidden_, 1.0F);
    softmax_rows(pass.h, batch, temperature_);
    // z = (N h) A + c.
    pass.z.resize(batch * classes_);
    gemm_nn(pass.h, theta.subspan(at_a_, hidden_ * classes_), pass.z, batch, hidden_, classes_);
    const auto n = static_cast<float>(hidden_);
    for (std::size_t r = 0; r < batch; ++r) {
        for (std::size_t k = 0; k < classes_; ++k)
            pass.z[r * classes_ + k] = theta_[at_c_ + k] + n * pass.z[r * classes_ + k];
    }
}

double BackpropNetwork::logit_gradients(Pass& pass, std::size_t batch, std::span<const std::uint8_t> labels,
                                        float scale, std::span<std::uint8_t> predicted, std::span<float> losses) const {
    return cross_entropy_gradients(pass.z, batch, classes_, labels, predicted, losses,
                                   [scale](double g) { return static_cast<float>(g * scale); });
}

void BackpropNetwork::hidden_gradients(Pass& pass, std::size_t batch) const {
    // d loss / d h = N dz A^T, then back through the softmax.
    pass.g.resize(batch * hidden_);
    gemm_nt(pass.z, std::span<const float>(theta_).subspan(at_a_, hidden_ * classes_), pass.g, batch, classes_,
            hidden_);
    const auto n = static_cast<float>(hidden_);
    for (float& v : pass.g) v *= n;
    softmax_backward(pass.h, batch, temperature_, pass.g);
}

double BackpropNetwork::train_epoch(const Dataset& data, std::span<const std::size_t> rows,
                                    const BackpropParams& params) {
    if (data.pixels_per_image() != pixels_) {
        throw std::invalid_argument("BackpropNetwork: images of " + std::to_string(data.pixels_per_image()) +
                                    " pixels for a network of " + std::to_string(pixels_));
    }
    Pass pass;
    std::vector<float> pixels;
    std::vector<std::uint8_t> labels;
    std::vector<float> grad(theta_.size());
    const std::span<float> gw = std::span<float>(grad).subspan(0, at_b_);
    const std::span<float> ga = std::span<float>(grad).subspan(at_a_, hidden_ * classes_);
    double loss = 0.0;
    for (std::size_t first = 0; first < rows.size(); first += params.batch) {
        const std::size_t batch = std::min(params.batch, rows.size() - first);
        data.gather(rows.subspan(first, batch), pixels, &labels);
        forward(pixels, batch, pass);
        loss += logit_gradients(pass, batch, labels, 1.0F / static_cast<float>(batch), {}, {});
        std::fill(grad.begin(), grad.end(), 0.0F);
        // dA = (N h)^T dz, dc = sum of dz.
        gemm_tn_accumulate(pass.h, pass.z, ga, batch, hidden_, classes_, static_cast<float>(hidden_));
        for (std::size_t r = 0; r < batch; ++r) {
            for (std::size_t k = 0; k < classes_; ++k) grad[at_c_ + k] += pass.z[r * classes_ + k];
        }
        hidden_gradients(pass, batch);
        // dW = x^T du, db = sum of du.
        gemm_tn_accumulate(pass.x, pass.g, gw, batch, inputs_, hidden_, 1.0F);
        for (std::size_t r = 0; r < batch; ++r) {
            for (std::size_t k = 0; k < hidden_; ++k) grad[at_b_ + k] += pass.g[r * hidden_ + k];
        }
        adam_.step(theta_, grad, params.learning_rate);
    }
    return rows.empty() ? 0.0 : loss / static_cast<double>(rows.size());
}

void BackpropNetwork::predict(std::span<const float> pixels, std::size_t batch,
                              std::span<std::uint8_t> predicted) const {
    Pass pass;
    forward(pixels, batch, pass);
    for (std::size_t r = 0; r < batch; ++r) {
        const float* z = pass.z.data() + r * classes_;
        predicted[r] = static_cast<std::uint8_t>(std::max_element(z, z + classes_) - z);
    }
}

void BackpropNetwork::loss_gradients(std::span<const float> pixels, std::size_t batch,
                                     std::span<const std::uint8_t> labels, std::span<float> gradient,
                                     std::span<std::uint8_t> predicted, std::span<float> losses) const {
    Pass pass;
    forward(pixels, batch, pass);
    logit_gradients(pass, batch, labels, 1.0F, predicted, losses);
    hidden_gradients(pass, batch);
    std::vector<float> grad_x(batch * inputs_);
    gemm_nt(pass.g, std::span<const float>(theta_).subspan(0, at_b_), grad_x, batch, hidden_, inputs_);
    pixel_gradients(pixels, batch, pixels_, encoder_, grad_x, gradient);
}

}  // namespace softspike
