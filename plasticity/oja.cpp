#include "plasticity/oja.hpp"

#include "plasticity/hebbian_update.hpp"

namespace softspike {

void Oja::on_post(const PostSpike& post, std::span<const float> pre, Projection& weights, EventCounters& counters) {
    apply_hebbian_update("Oja", post.neuron, pre, weights, learning_rate_ * static_cast<float>(post.count), 1.0F,
                         post.output_share, counters);
}

}  // namespace softspike
