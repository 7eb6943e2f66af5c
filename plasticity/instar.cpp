#include "plasticity/instar.hpp"

#include "plasticity/hebbian_update.hpp"

namespace softspike {

void Instar::on_post(const PostSpike& post, std::span<const float> pre, Projection& weights,
                     EventCounters& counters) {
    // A batched update of `count` spikes takes `count` steps at once, so the decay is count-fold too.
    const float eta = learning_rate_ * static_cast<float>(post.count);
    apply_hebbian_update("Instar", post.neuron, pre, weights, eta, 1.0F, 1.0F, counters);
}

}  // namespace softspike
