#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/counters.hpp"
#include "core/projection.hpp"

namespace softspike {

// What a rule may see of the postsynaptic neuron when it spikes: only its own state (locality).
struct PostSpike {
    std::uint32_t neuron = 0;
    float drive = 0.0F;  // u_k(t): feed-forward drive w_k . x_hat + b_k
    // Spikes this update stands for: 1 at every spike; more when a learning engine batches the spikes of an
    // update window into one update (ChipParams::plasticity_window_ms).
    std::uint32_t count = 1;
};

// A local plasticity rule on one projection. Rules are chosen per projection, so the virtual call is per
// spike, never per synapse; the per-synapse loop is inside the rule.
class PlasticityRule {
public:
    virtual ~PlasticityRule() = default;
    // A presynaptic spike from `source` (rules that keep their own pre traces use it; SoftHebb does not).
    virtual void on_pre(std::uint32_t /*source*/, Projection& /*weights*/, EventCounters& /*counters*/) {}
    // The postsynaptic neuron spiked; `pre` is x_hat, the presynaptic traces read as input estimates.
    virtual void on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                         EventCounters& counters) = 0;
    // Whatever the rule carries between spikes besides the weights, for training checkpoints; restoring it
    // must make the rule continue bit-identically.
    [[nodiscard]] virtual std::vector<double> state() const { return {}; }
    virtual void restore(std::vector<double> /*state*/) {}
};

}  // namespace softspike
