#pragma once
#include <cstddef>

#include "chip/hardware_figures.hpp"
#include "core/dataset.hpp"
#include "core/projection.hpp"
#include "run/config.hpp"

namespace softspike {

// The dense rate form of the same layer (docs/model.md §10: u = W x + b, y = softmax(u / T), SoftHebb on every
// synapse once per image), counted by formula over `data` with `weights` as the chip holds them (at the start
// of the phase: when learning, the zero weights the spiking run creates on its way are not followed):
// Effective_MACs = nonzero inputs x nonzero weights of their rows, a weight read per present synapse, one
// membrane (u_k) write per neuron; when learning, one read-modify-write per present synapse. No spikes,
// traces or time steps.
HardwareFigures rate_form_figures(const Config& config, const Dataset& data, const Projection& weights, bool learning);

}  // namespace softspike
