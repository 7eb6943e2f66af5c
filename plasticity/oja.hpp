#pragma once
#include "plasticity/hebbian_update.hpp"

namespace softspike {

// Oja's rule (docs/model.md §5.2): dw_ki = eta * y_k * (x_i - y_k * w_ki), which keeps ‖w_k‖ bounded. As spikes,
// at every spike of k: eta * (x_hat_i - y_hat_k * w_ki), with y_hat_k the neuron's share of the
// population's spikes so far in the presentation (PostSpike::output_share); since k spikes with probability
// y_k, the expected update approaches the rate rule as the share settles during the window.
class Oja final : public HebbianFamily<Oja> {
public:
    using HebbianFamily::HebbianFamily;
    static constexpr const char* name = "Oja";
    static float spike_decay(const PostSpike& post) { return post.output_share; }
    static float rate_decay(float /*u*/, float y) { return y * y; }
};

}  // namespace softspike
