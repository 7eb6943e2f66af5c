#pragma once
#include "plasticity/hebbian_update.hpp"

namespace softspike {

// Plain Hebb (docs/model.md §5.2): dw_ki = eta * y_k * x_i; as spikes, eta * x_hat_i at every spike of k. Nothing
// bounds the weights: it is here as the baseline the other rules improve on.
class Hebb final : public HebbianFamily<Hebb> {
public:
    using HebbianFamily::HebbianFamily;
    static constexpr const char* name = "Hebb";
    static float spike_decay(const PostSpike& /*post*/) { return 0.0F; }
    static float rate_decay(float /*u*/, float /*y*/) { return 0.0F; }
};

}  // namespace softspike
