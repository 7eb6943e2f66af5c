#pragma once
#include "plasticity/hebbian_update.hpp"

namespace softspike {

// Grossberg's instar (docs/model.md §5.2): dw_ki = eta * y_k * (x_i - w_ki), pulling w_k towards the inputs k
// responds to; as spikes, eta * (x_hat_i - w_ki) at every spike of k.
class Instar final : public HebbianFamily<Instar> {
public:
    using HebbianFamily::HebbianFamily;
    static constexpr const char* name = "Instar";
    static float spike_decay(const PostSpike& /*post*/) { return 1.0F; }
    static float rate_decay(float /*u*/, float y) { return y; }
};

}  // namespace softspike
