#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.hpp"
#include "core/projection.hpp"
#include "core/synaptic_row.hpp"
#include "core/time.hpp"

namespace softspike {

// What a rule may see of the postsynaptic neuron when it spikes: only its own state (locality).
struct PostSpike {
    std::uint32_t neuron = 0;
    float drive = 0.0F;  // u_k(t): feed-forward drive w_k . x_hat + b_k
    // Spikes this update stands for: 1 at every spike; more when a learning engine batches the spikes of an
    // update window into one update (ChipParams::plasticity_window_ms).
    std::uint32_t count = 1;
    tick_t time = 0;
    // The neuron's share of the population's output spikes so far in this presentation, this one included:
    // the event-driven estimate of its soft-WTA output y_k (Oja's rule needs it).
    float output_share = 1.0F;
    // +1: the rule's step; -1: the anti-Hebbian step of a neuron that spiked but was not the most driven
    // (PlasticityParams::anti_hebbian).
    float sign = 1.0F;
};

// A local plasticity rule on one projection. Rules are chosen per projection, so the virtual call is per
// spike, never per synapse; the per-synapse loop is inside the rule.
class PlasticityRule {
public:
    virtual ~PlasticityRule() = default;
    // A presynaptic spike from `source` arrived at time t (rules that keep their own traces use it).
    virtual void on_pre(std::uint32_t /*source*/, tick_t /*t*/, Projection& /*weights*/, EventCounters& /*counters*/) {}
    // A rule whose presynaptic update is one clipped affine step per synapse returns it here (for a spike at t
    // onto `targets` neurons), and the network then applies it in the delivery's pass over the row instead of
    // calling on_pre; the pointers stay valid until the next call on the rule. Inactive (the default): on_pre.
    [[nodiscard]] virtual PreRowUpdate pre_row_update(tick_t /*t*/, std::size_t /*targets*/) { return {}; }
    // The postsynaptic neuron spiked; `pre` is x_hat, the presynaptic traces read as input estimates.
    virtual void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                         EventCounters& counters) = 0;
    // Whether the rule has a rate form (STDP does not: it is defined on spike times).
    [[nodiscard]] virtual bool has_rate_form() const { return true; }
    // The rate form (docs/model.md §5.2) for one sample, as two terms per neuron of the Hebbian-with-decay family
    // dw_ki = eta_k * (hebb_k * x_i - decay_k * w_ki), from activations u and soft-WTA outputs y
    // (SoftHebb: hebb = y, decay = y u; Hebb: y, 0; instar: y, y; Oja: y, y^2). Called once per sample
    // with every neuron, so the virtual call is per sample.
    virtual void rate_terms(std::span<const float> u, std::span<const float> y, std::span<float> hebb,
                            std::span<float> decay) const = 0;
    // Whatever the rule carries between spikes besides the weights, for training checkpoints; restoring it
    // must make the rule continue bit-identically.
    [[nodiscard]] virtual std::vector<double> state() const { return {}; }
    virtual void restore(std::vector<double> /*state*/) {}
    // The training schedule's factor on the configured learning rate (1: the rate as configured), set before
    // each sample by the training loop. It is a function of the images done, so checkpoints need not keep it.
    void set_rate_scale(float scale) { rate_scale_ = scale; }
    [[nodiscard]] float rate_scale() const { return rate_scale_; }

protected:
    float rate_scale_ = 1.0F;
};

}  // namespace softspike
