#include "rate/deep_softhebb_classifier.hpp"

#include <stdexcept>
#include <string>

#include "core/dense_kernels.hpp"
#include "core/im2col.hpp"
#include "core/pooling.hpp"
#include "core/triangle.hpp"

namespace softspike {

DeepSoftHebbClassifier::DeepSoftHebbClassifier(DeepRateNetwork network, LinearReadout readout)
    : network_(std::move(network)), readout_(std::move(readout)) {
    if (readout_.features() != network_.feature_count()) {
        throw std::invalid_argument("DeepSoftHebbClassifier: a read-out of " + std::to_string(readout_.features()) +
                                    " features on a network of " + std::to_string(network_.feature_count()));
    }
}

void DeepSoftHebbClassifier::forward(std::span<const float> image, std::vector<BlockTrace>& trace) const {
    trace.resize(network_.depth());
    std::span<const float> in = image;
    std::vector<float> normalised;
    for (std::size_t i = 0; i < network_.depth(); ++i) {
        const ConvBlock& block = network_.block(i);
        const Conv2dShape& conv = block.convolution();
        const ConvBlockParams& p = block.params();
        BlockTrace& t = trace[i];
        if (p.batch_norm) {
            normalised.assign(in.begin(), in.end());
            block.batch_norm().normalise(normalised, 1);
            in = normalised;
        }
        const std::size_t positions = conv.positions();
        t.patches.resize(positions * conv.patch_size());
        im2col(in, conv, t.patches);
        const NetworkModel& k = block.kernels();
        t.drive.resize(positions * p.filters);
        for (std::size_t r = 0; r < positions; ++r) {
            std::copy(k.biases.begin(), k.biases.end(), t.drive.begin() + static_cast<std::ptrdiff_t>(r * p.filters));
        }
        gemm_nn(t.patches, k.weights.weights(), t.drive, positions, conv.patch_size(), p.filters, 1.0F);
        t.activated = t.drive;
        triangle_rows(t.activated, positions, p.triangle_power);
        t.output.resize(block.output_shape().size());
        pool_to_channels_first(t.activated, conv.out_height(), conv.out_width(), p.filters, p.pool, t.output);
        in = t.output;
    }
}

void DeepSoftHebbClassifier::backward(const std::vector<BlockTrace>& trace, std::vector<float>& grad,
                                      std::span<float> pixel_gradient) const {
    std::vector<float> g_activated;
    std::vector<float> g_patches;
    std::vector<float> g_input;
    for (std::size_t i = network_.depth(); i-- > 0;) {
        const ConvBlock& block = network_.block(i);
        const Conv2dShape& conv = block.convolution();
        const ConvBlockParams& p = block.params();
        const BlockTrace& t = trace[i];
        const std::size_t positions = conv.positions();
        g_activated.resize(t.activated.size());
        pool_backward(t.activated, conv.out_height(), conv.out_width(), p.filters, p.pool, grad, g_activated);
        triangle_backward_rows(t.drive, positions, p.triangle_power, g_activated);  // now d loss / d drive
        g_patches.resize(t.patches.size());
        gemm_nt(g_activated, block.kernels().weights.weights(), g_patches, positions, p.filters, conv.patch_size());
        g_input.assign(block.input_shape().size(), 0.0F);
        col2im_add(g_patches, conv, g_input);
        if (p.batch_norm) {
            const std::size_t plane = conv.height * conv.width;
            for (std::size_t c = 0; c < conv.channels; ++c) {
                const float scale = block.batch_norm().evaluation_scale(c);
                for (std::size_t j = c * plane; j < (c + 1) * plane; ++j) g_input[j] *= scale;
            }
        }
        grad.swap(g_input);
    }
    std::copy(grad.begin(), grad.end(), pixel_gradient.begin());
}

void DeepSoftHebbClassifier::predict(std::span<const float> pixels, std::size_t batch,
                                     std::span<std::uint8_t> predicted) const {
    const std::size_t d = pixels_per_image();
    for_each_row(batch, [&](std::size_t b) {
        std::vector<BlockTrace> trace;
        forward(pixels.subspan(b * d, d), trace);
        predicted[b] = readout_.predict(trace.back().output);
    });
}

void DeepSoftHebbClassifier::loss_gradients(std::span<const float> pixels, std::size_t batch,
                                            std::span<const std::uint8_t> labels, std::span<float> gradient,
                                            std::span<std::uint8_t> predicted, std::span<float> losses) const {
    const std::size_t d = pixels_per_image();
    // One image per task: its traces are a few MB, and each image's gradient is computed in one fixed order.
    for_each_row(batch, [&](std::size_t b) {
        std::vector<BlockTrace> trace;
        forward(pixels.subspan(b * d, d), trace);
        std::vector<float> grad(network_.feature_count());
        double loss = 0.0;
        predicted[b] = readout_.loss_gradient(trace.back().output, labels[b], grad, &loss);
        if (!losses.empty()) losses[b] = static_cast<float>(loss);
        backward(trace, grad, gradient.subspan(b * d, d));
    });
}

}  // namespace softspike
