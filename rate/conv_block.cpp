#include "rate/conv_block.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/dense_kernels.hpp"
#include "core/triangle.hpp"
#include "core/vector_clones.hpp"
#include "plasticity/batch_step.hpp"

namespace softspike {

namespace {

Conv2dShape conv_shape(TensorShape input, const ConvBlockParams& p) {
    Conv2dShape s;
    s.channels = input.channels;
    s.height = input.height;
    s.width = input.width;
    if (p.kind == LayerKind::dense) {  // one patch: the whole input, flattened channel by channel (CHW)
        s.kernel = input.height;
        s.stride = 1;
        s.padding = 0;
        s.mode = Padding::zero;
        return s;
    }
    s.kernel = p.kernel;
    s.stride = p.stride;
    s.padding = p.padding;
    s.mode = p.padding_mode;
    return s;
}

NetworkModel initial_kernels(const Conv2dShape& shape, const ConvBlockParams& p, Rng& rng) {
    NetworkModel m{Projection(shape.patch_size(), p.filters, 0), std::vector<float>(p.filters, 0.0F)};
    const double std_dev = p.init_radius / std::sqrt(static_cast<double>(shape.patch_size()));
    for (float& w : m.weights.weights()) w = static_cast<float>(std_dev * rng.normal());
    return m;
}

}  // namespace

std::string ConvBlock::problem(TensorShape input, const ConvBlockParams& p) {
    if (p.filters == 0) return "filters: expected at least 1";
    if (p.kind == LayerKind::dense) {
        if (input.height != input.width) {
            return "kind: a dense layer needs a square input, found " + std::to_string(input.height) + " x " +
                   std::to_string(input.width);
        }
        if (p.pool.kind != PoolKind::none) return "pool.kind: a dense layer has one output position: expected none";
    }
    if (const std::string conv = conv_shape(input, p).problem(); !conv.empty()) return conv;
    if (!(p.triangle_power > 0.0)) return "triangle_power: expected a positive number";
    if (!(p.prune_fraction >= 0.0 && p.prune_fraction < 1.0)) return "prune_fraction: expected at least 0 and below 1";
    if (p.learning.learning_top_k > p.filters) {
        return "learning_top_k: expected at most filters (" + std::to_string(p.filters) + "), found " +
               std::to_string(p.learning.learning_top_k);
    }
    const Conv2dShape s = conv_shape(input, p);
    if (const std::string pool = p.pool.problem(s.out_height(), s.out_width()); !pool.empty()) return "pool." + pool;
    return {};
}

ConvBlock::ConvBlock(TensorShape input, const ConvBlockParams& params, Rng& init, Rng prune)
    : input_(input),
      params_(params),
      conv_(conv_shape(input, params)),
      layer_(initial_kernels(conv_, params, init), params.learning),
      norm_(input.channels) {
    if (const std::string p = problem(input, params); !p.empty()) throw std::invalid_argument("conv block: " + p);
    if (params.prune_fraction > 0.0) {
        const std::size_t fan_in = conv_.patch_size();
        const std::size_t filters = params.filters;
        const auto removed = static_cast<std::size_t>(std::lround(params.prune_fraction * static_cast<double>(fan_in)));
        kept_.assign(fan_in * filters, 1.0F);
        std::vector<std::size_t> inputs(fan_in);
        for (std::size_t k = 0; k < filters; ++k) {
            std::iota(inputs.begin(), inputs.end(), 0);
            for (std::size_t j = 0; j < removed; ++j) {  // a partial Fisher-Yates shuffle: `removed` distinct inputs
                std::swap(inputs[j], inputs[j + prune.below(fan_in - j)]);
                kept_[inputs[j] * filters + k] = 0.0F;
            }
        }
        apply_pruning();
    }
}

void ConvBlock::apply_pruning() {
    if (kept_.empty()) return;
    std::vector<float>& w = layer_.model().weights.weights();
    for (std::size_t i = 0; i < w.size(); ++i) w[i] *= kept_[i];
}

std::size_t ConvBlock::pruned_connections() const {
    return static_cast<std::size_t>(std::count(kept_.begin(), kept_.end(), 0.0F));
}

TensorShape ConvBlock::output_shape_of(TensorShape input, const ConvBlockParams& params) {
    const Conv2dShape conv = conv_shape(input, params);
    return {params.filters, params.pool.out(conv.out_height()), params.pool.out(conv.out_width())};
}

void ConvBlock::forward(std::span<const float> in, std::size_t batch, std::vector<float>& out, RateCounters& counters,
                        const PlasticityRule* rule) {
    const std::size_t in_size = input_.size();
    if (in.size() != batch * in_size) throw std::invalid_argument("conv block: input size does not match the batch");
    std::span<const float> x = in;
    if (params_.batch_norm) {
        normalised_.assign(in.begin(), in.end());
        norm_.apply(normalised_, batch, rule != nullptr);
        x = normalised_;
    }
    const std::size_t positions = conv_.positions();
    const std::size_t patch = conv_.patch_size();
    patches_.resize(batch * positions * patch);
    for_each_row(batch, [&](std::size_t b) {
        im2col(x.subspan(b * in_size, in_size), conv_,
               std::span<float>(patches_).subspan(b * positions * patch, positions * patch));
    });
    // Every patch is a row of one dense product: u = patches . kernels.
    layer_.forward(patches_, batch * positions, u_, counters);
    if (rule != nullptr) {
        layer_.learn(patches_, batch * positions, u_, *rule, counters);
        apply_pruning();  // a pruned connection stays removed: its update is dropped
    }
    triangle_rows(u_, batch * positions, params_.triangle_power);
    const TensorShape o = output_shape();
    out.resize(batch * o.size());
    const std::size_t filters = params_.filters;
    for_each_row(batch, [&](std::size_t b) {
        pool_to_channels_first(std::span<const float>(u_).subspan(b * positions * filters, positions * filters),
                               conv_.out_height(), conv_.out_width(), filters, params_.pool,
                               std::span<float>(out).subspan(b * o.size(), o.size()));
    });
    counters.outputs += out.size();
    counters.zero_outputs += static_cast<std::uint64_t>(std::count(out.begin(), out.end(), 0.0F));
}

std::vector<float> ConvBlock::kernel_norms() const {
    const Projection& w = layer_.model().weights;
    return column_norms(w.weights(), w.sources(), w.targets());
}

}  // namespace softspike
