#include "rate/backprop_conv_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"
#include "core/im2col.hpp"
#include "core/numerical_error.hpp"
#include "core/pooling.hpp"
#include "core/random.hpp"
#include "core/triangle.hpp"

namespace softspike {

namespace {

std::vector<ConvBlockParams> at_radius_one(std::vector<ConvBlockParams> blocks) {
    for (ConvBlockParams& b : blocks) {
        if (b.prune_fraction > 0.0) throw std::invalid_argument("BackpropConvNetwork: pruned blocks are not supported");
        b.init_radius = 1.0;
    }
    return blocks;
}

}  // namespace

BackpropConvNetwork::BackpropConvNetwork(TensorShape input, std::vector<ConvBlockParams> blocks, std::size_t classes,
                                         std::uint64_t seed)
    : network_(input, at_radius_one(std::move(blocks)), seed), classes_(classes) {
    if (classes_ < 2) throw std::invalid_argument("BackpropConvNetwork: needs two classes");
    const std::size_t features = network_.feature_count();
    head_.resize(features * classes_);
    bias_.resize(classes_);
    Rng rng = Rng::stream(seed, StreamPurpose::baseline, 0);
    const double bound = 1.0 / std::sqrt(static_cast<double>(features));
    for (float& w : head_) w = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
    for (float& b : bias_) b = static_cast<float>((2.0 * rng.uniform() - 1.0) * bound);
    for (std::size_t i = 0; i < network_.depth(); ++i) {
        kernel_adam_.emplace_back(network_.block(i).kernels().weights.weights().size());
    }
    head_adam_ = Adam(head_.size());
    bias_adam_ = Adam(bias_.size());
    passes_.resize(network_.depth());
    refreeze();
}

void BackpropConvNetwork::refreeze() {
    // LinearReadout keeps its weights classes x features.
    const std::size_t features = network_.feature_count();
    std::vector<float> by_class(head_.size());
    for (std::size_t f = 0; f < features; ++f) {
        for (std::size_t k = 0; k < classes_; ++k) by_class[k * features + f] = head_[f * classes_ + k];
    }
    frozen_.emplace(network_, LinearReadout::from_parameters(classes_, features, by_class, bias_));
}

std::vector<float> BackpropConvNetwork::parameters() const {
    std::vector<float> out;
    for (std::size_t i = 0; i < network_.depth(); ++i) {
        const std::vector<float>& k = network_.block(i).kernels().weights.weights();
        out.insert(out.end(), k.begin(), k.end());
    }
    out.insert(out.end(), head_.begin(), head_.end());
    out.insert(out.end(), bias_.begin(), bias_.end());
    return out;
}

void BackpropConvNetwork::set_parameters(std::span<const float> values) {
    std::size_t at = 0;
    const auto take = [&](std::span<float> into) {
        if (at + into.size() > values.size()) throw std::invalid_argument("BackpropConvNetwork: too few parameters");
        std::copy(values.begin() + static_cast<std::ptrdiff_t>(at),
                  values.begin() + static_cast<std::ptrdiff_t>(at + into.size()), into.begin());
        at += into.size();
    };
    for (std::size_t i = 0; i < network_.depth(); ++i) take(network_.block(i).kernels().weights.weights());
    take(head_);
    take(bias_);
    if (at != values.size()) throw std::invalid_argument("BackpropConvNetwork: too many parameters");
    refreeze();
}

double BackpropConvNetwork::train_epoch(const Dataset& data, std::span<const std::size_t> rows,
                                        const BackpropParams& params) {
    const std::size_t in_size = network_.block(0).input_shape().size();
    if (data.pixels_per_image() != in_size) {
        throw std::invalid_argument("BackpropConvNetwork: images of " + std::to_string(data.pixels_per_image()) +
                                    " pixels for a network of " + std::to_string(in_size));
    }
    std::vector<float> pixels;
    std::vector<std::uint8_t> labels;
    double loss = 0.0;
    for (std::size_t first = 0; first < rows.size(); first += params.batch) {
        const std::size_t batch = std::min(params.batch, rows.size() - first);
        data.gather(rows.subspan(first, batch), pixels, &labels);
        const double batch_loss = batch_gradients(pixels, labels);
        if (!std::isfinite(batch_loss)) {
            throw NumericalError("backpropagation baseline: the loss became non-finite (learning rate " +
                                 std::to_string(params.learning_rate) + "): lower robustness.baseline_learning_rate");
        }
        loss += batch_loss * static_cast<double>(batch);
        for (std::size_t i = 0; i < network_.depth(); ++i) {
            kernel_adam_[i].step(network_.block(i).kernels().weights.weights(), scratch_.kernels[i],
                                 params.learning_rate);
        }
        head_adam_.step(head_, scratch_.head, params.learning_rate);
        bias_adam_.step(bias_, scratch_.bias, params.learning_rate);
    }
    refreeze();
    return rows.empty() ? 0.0 : loss / static_cast<double>(rows.size());
}

double BackpropConvNetwork::batch_loss_gradient(std::span<const float> pixels, std::span<const std::uint8_t> labels,
                                                std::vector<float>& gradient) {
    const double loss = batch_gradients(pixels, labels);
    gradient.clear();
    for (const std::vector<float>& k : scratch_.kernels) gradient.insert(gradient.end(), k.begin(), k.end());
    gradient.insert(gradient.end(), scratch_.head.begin(), scratch_.head.end());
    gradient.insert(gradient.end(), scratch_.bias.begin(), scratch_.bias.end());
    return loss;
}

double BackpropConvNetwork::batch_gradients(std::span<const float> pixels, std::span<const std::uint8_t> labels) {
    const std::size_t batch = labels.size();
    const std::size_t depth = network_.depth();
    const std::size_t features = network_.feature_count();
    Scratch& s = scratch_;
    s.kernels.resize(depth);
    s.head.assign(head_.size(), 0.0F);
    s.bias.assign(bias_.size(), 0.0F);
    std::vector<float>& logits = s.logits;
    std::vector<float>& grad = s.grad;
    std::vector<float>& g_act = s.g_act;
    std::vector<float>& g_patches = s.g_patches;
    std::vector<float>& g_in = s.g_in;
    // Forward, every block on the whole batch (BatchNorm couples the batch's images).
    std::span<const float> x = pixels;
    for (std::size_t i = 0; i < depth; ++i) {
        ConvBlock& block = network_.block(i);
        const ConvBlockParams& p = block.params();
        const Conv2dShape& conv = block.convolution();
        const std::size_t size = block.input_shape().size();
        const std::size_t positions = conv.positions();
        const std::size_t patch = conv.patch_size();
        BlockPass& pass = passes_[i];
        if (p.batch_norm) {
            pass.normalised.assign(x.begin(), x.end());
            pass.scales.resize(conv.channels);
            block.batch_norm().apply(pass.normalised, batch, true, pass.scales);
            x = pass.normalised;
        }
        pass.patches.resize(batch * positions * patch);
        for_each_row(batch, [&](std::size_t b) {
            im2col(x.subspan(b * size, size), conv,
                   std::span<float>(pass.patches).subspan(b * positions * patch, positions * patch));
        });
        pass.drive.resize(batch * positions * p.filters);
        gemm_nn(pass.patches, block.kernels().weights.weights(), pass.drive, batch * positions, patch, p.filters);
        pass.activated = pass.drive;
        triangle_rows(pass.activated, batch * positions, p.triangle_power);
        const std::size_t out = block.output_shape().size();
        pass.output.resize(batch * out);
        for_each_row(batch, [&](std::size_t b) {
            pool_to_channels_first(
                std::span<const float>(pass.activated).subspan(b * positions * p.filters, positions * p.filters),
                conv.out_height(), conv.out_width(), p.filters, p.pool,
                std::span<float>(pass.output).subspan(b * out, out));
        });
        x = pass.output;
    }
    // The last layer and the mean cross-entropy: d loss / d logits = (softmax - one-hot) / batch.
    logits.resize(batch * classes_);
    for (std::size_t r = 0; r < batch; ++r) std::copy(bias_.begin(), bias_.end(), logits.begin() + r * classes_);
    gemm_nn(x, head_, logits, batch, features, classes_, 1.0F);
    const double loss = cross_entropy_gradients(logits, batch, classes_, labels, {}, {}, [batch](double g) {
        return static_cast<float>(g / static_cast<double>(batch));
    });
    gemm_tn_accumulate(x, logits, s.head, batch, features, classes_, 1.0F);
    for (std::size_t r = 0; r < batch; ++r) {
        for (std::size_t k = 0; k < classes_; ++k) s.bias[k] += logits[r * classes_ + k];
    }
    grad.resize(batch * features);
    gemm_nt(logits, head_, grad, batch, classes_, features);
    // Backward, block by block from the top.
    for (std::size_t i = depth; i-- > 0;) {
        const ConvBlock& block = network_.block(i);
        const ConvBlockParams& p = block.params();
        const Conv2dShape& conv = block.convolution();
        const std::size_t positions = conv.positions();
        const std::size_t patch = conv.patch_size();
        const std::size_t out = block.output_shape().size();
        const BlockPass& pass = passes_[i];
        g_act.resize(pass.activated.size());
        for_each_row(batch, [&](std::size_t b) {
            const std::size_t n = positions * p.filters;
            pool_backward(std::span<const float>(pass.activated).subspan(b * n, n), conv.out_height(), conv.out_width(),
                          p.filters, p.pool, std::span<const float>(grad).subspan(b * out, out),
                          std::span<float>(g_act).subspan(b * n, n));
        });
        triangle_backward_rows(pass.drive, batch * positions, p.triangle_power, g_act);
        s.kernels[i].assign(patch * p.filters, 0.0F);
        gemm_tn_accumulate(pass.patches, g_act, s.kernels[i], batch * positions, patch, p.filters, 1.0F);
        if (i == 0) break;  // the pixels' gradient is not needed to learn
        g_patches.resize(pass.patches.size());
        gemm_nt(g_act, block.kernels().weights.weights(), g_patches, batch * positions, p.filters, patch);
        const std::size_t size = block.input_shape().size();
        g_in.assign(batch * size, 0.0F);
        for_each_row(batch, [&](std::size_t b) {
            col2im_add(std::span<const float>(g_patches).subspan(b * positions * patch, positions * patch), conv,
                       std::span<float>(g_in).subspan(b * size, size));
        });
        if (p.batch_norm) {
            // y = (x - mean) s over a channel's batch x plane values: dx = s (dy - mean(dy) - y mean(dy y)).
            const std::size_t plane = conv.height * conv.width;
            const double count = static_cast<double>(batch * plane);
            for (std::size_t c = 0; c < conv.channels; ++c) {
                double sum = 0.0;
                double dot = 0.0;
                for (std::size_t b = 0; b < batch; ++b) {
                    const float* g = g_in.data() + b * size + c * plane;
                    const float* y = pass.normalised.data() + b * size + c * plane;
                    for (std::size_t j = 0; j < plane; ++j) {
                        sum += g[j];
                        dot += static_cast<double>(g[j]) * y[j];
                    }
                }
                const auto mean_g = static_cast<float>(sum / count);
                const auto mean_gy = static_cast<float>(dot / count);
                const float s = pass.scales[c];
                for (std::size_t b = 0; b < batch; ++b) {
                    float* g = g_in.data() + b * size + c * plane;
                    const float* y = pass.normalised.data() + b * size + c * plane;
                    for (std::size_t j = 0; j < plane; ++j) g[j] = s * (g[j] - mean_g - y[j] * mean_gy);
                }
            }
        }
        grad.swap(g_in);
    }
    return loss / static_cast<double>(batch);
}

}  // namespace softspike
