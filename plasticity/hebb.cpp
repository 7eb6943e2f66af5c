#include "plasticity/hebb.hpp"

#include "plasticity/hebbian_update.hpp"

namespace softspike {

void Hebb::on_post(const PostSpike& post, std::span<const float> pre, Projection& weights, EventCounters& counters) {
    apply_hebbian_update("Hebb", post.neuron, pre, weights, learning_rate_ * static_cast<float>(post.count), 1.0F,
                         0.0F, counters);
}

}  // namespace softspike
