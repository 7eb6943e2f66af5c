#include "rate/deep_gradient.hpp"

#include <algorithm>

#include "core/dense_kernels.hpp"
#include "core/im2col.hpp"
#include "core/pooling.hpp"
#include "core/triangle.hpp"

namespace softspike {

void deep_forward(const DeepRateNetwork& network, std::span<const float> image, std::vector<BlockTrace>& trace) {
    trace.resize(network.depth());
    std::span<const float> in = image;
    std::vector<float> normalised;
    for (std::size_t i = 0; i < network.depth(); ++i) {
        const ConvBlock& block = network.block(i);
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

void deep_backward(const DeepRateNetwork& network, const std::vector<BlockTrace>& trace, std::vector<float>& grad,
                   std::span<float> pixel_gradient) {
    std::vector<float> g_activated;
    std::vector<float> g_patches;
    std::vector<float> g_input;
    for (std::size_t i = network.depth(); i-- > 0;) {
        const ConvBlock& block = network.block(i);
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
        if (p.batch_norm) {  // evaluation BatchNorm is (x - mean) * scale per channel
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

}  // namespace softspike
