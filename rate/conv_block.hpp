#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "plasticity/plasticity_rule.hpp"
#include "rate/batch_norm.hpp"
#include "rate/conv2d.hpp"
#include "core/pooling.hpp"
#include "rate/rate_layer.hpp"

namespace softspike {

// The shape of one image as blocks pass it on: channels x height x width.
struct TensorShape {
    std::size_t channels = 1;
    std::size_t height = 1;
    std::size_t width = 1;
    [[nodiscard]] std::size_t size() const { return channels * height * width; }
};

// One convolutional soft-WTA block of multilayer SoftHebb (docs/model.md §12): BatchNorm without affine
// parameters -> conv2d without bias -> (plasticity: softmax over channels at each position) -> triangle
// activation max(0, u - mean over channels)^power -> pooling.
// What a block's kernels cover.
enum class LayerKind : std::uint8_t {
    conv,   // kernel x kernel patches at every position (stride, padding)
    dense,  // the whole input, flattened: one position, so the block is a dense soft-WTA layer on its input
};

struct ConvBlockParams {
    LayerKind kind = LayerKind::conv;
    std::size_t filters = 96;
    std::size_t kernel = 5;
    std::size_t stride = 1;
    std::size_t padding = 2;
    Padding padding_mode = Padding::reflect;
    bool batch_norm = true;
    double triangle_power = 0.7;
    PoolParams pool;
    // How the kernels learn: temperature, learning_rate, anti_hebbian, normalise_update, adaptive_power.
    RateLayerParams learning;
    double init_radius = 25.0;  // initial kernels ~ normal(0, init_radius / sqrt(fan_in)): norm about init_radius
    // Miconi's pruning: this fraction of each kernel's connections (round(fraction x fan_in) of them, drawn per
    // kernel from the block's own stream) is removed at the start, held at 0 and never learns.
    double prune_fraction = 0.0;
    // The spiking form only (docs/model.md §13): the block's output spikes per output unit, on average over
    // the calibration images.
    double spikes_per_unit = 1.0;
    // The spiking form's learning only (docs/model.md §13, "Learning per soft-WTA spike"): soft-WTA spikes per
    // output position and training image, each drawn from the softmax over the position's channels.
    std::size_t learning_spikes = 1;
};

// A ConvBlock's kernels learn as a dense soft-WTA layer whose samples are the patches: every position of every
// image of a batch is one row of im2col, its drive u one row of the convolution, so the SoftHebb update
// summed over the batch and the positions is RateLayer's, with every option it has.
class ConvBlock {
public:
    // The kernels are drawn from `init`, then the pruned connections from `prune` (so pruning leaves the kept
    // connections' initial weights as they are without it).
    ConvBlock(TensorShape input, const ConvBlockParams& params, Rng& init, Rng prune = Rng(0));

    [[nodiscard]] TensorShape input_shape() const { return input_; }
    [[nodiscard]] const ConvBlockParams& params() const { return params_; }
    // The convolution over the block's input (a dense block: one window over the whole input).
    [[nodiscard]] const Conv2dShape& convolution() const { return conv_; }
    [[nodiscard]] TensorShape output_shape() const { return output_shape_of(input_, params_); }
    // The output shape of a block with `params` on `input` (which must fit: see problem()).
    [[nodiscard]] static TensorShape output_shape_of(TensorShape input, const ConvBlockParams& params);
    // Empty when the block fits its input; otherwise what is wrong, naming the field.
    [[nodiscard]] static std::string problem(TensorShape input, const ConvBlockParams& params);

    // out (batch x output_shape) from in (batch x input_shape). With a rule, the block learns from the batch
    // (batch statistics in BatchNorm, then one plasticity step after the forward pass); without, it is frozen
    // (running statistics).
    void forward(std::span<const float> in, std::size_t batch, std::vector<float>& out, RateCounters& counters,
                 const PlasticityRule* rule = nullptr);

    // Kernels: patch_size x filters, channel-major patches (conv2d's layout).
    [[nodiscard]] const NetworkModel& kernels() const { return layer_.model(); }
    [[nodiscard]] NetworkModel& kernels() { return layer_.model(); }
    [[nodiscard]] const BatchNorm& batch_norm() const { return norm_; }
    [[nodiscard]] BatchNorm& batch_norm() { return norm_; }
    // Each kernel's Euclidean norm (one per filter): SoftHebb drives them towards 1 (docs/model.md §12).
    [[nodiscard]] std::vector<float> kernel_norms() const;
    // Connections removed by pruning (0 without).
    [[nodiscard]] std::size_t pruned_connections() const;

private:
    void apply_pruning();

    TensorShape input_;
    ConvBlockParams params_;
    Conv2dShape conv_;
    RateLayer layer_;
    BatchNorm norm_;
    std::vector<float> kept_;        // patch_size x filters: 1 for a connection, 0 for a pruned one; empty: none
    std::vector<float> normalised_;  // batch x input, reused between batches
    std::vector<float> patches_;     // (batch x positions) x patch_size
    std::vector<float> u_;           // (batch x positions) x filters
};

}  // namespace softspike
