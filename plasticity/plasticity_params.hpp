#pragma once
#include <string>

namespace softspike {

// Which plasticity rule learns the input projection, with every rule's parameters, and how the weights start
// (the config's `plasticity` section). Each rule reads the fields it needs and checks them itself
// (plasticity/rule_registry.hpp).
struct PlasticityParams {
    std::string rule = "softhebb";  // a name of plasticity/rule_registry.cpp
    double learning_rate = 0.01;    // eta per postsynaptic spike
    double initial_weight_norm = 20.0;
    double adaptive_power = 0.0;  // SoftHebb: eta_k = eta * |‖w_k‖ - norm_target|^p (0: a fixed eta)
    double norm_target = 1.0;     // the adaptive rate's target norm: SoftHebb's fixed point for unit-norm input
    // Anti-Hebbian learning for the non-winners (docs/model.md §5.1), in both forms: a spike of a neuron that is
    // not the most driven one steps against its rule (SoftHebb, Hebb, instar: every term's sign flips).
    bool anti_hebbian = false;
    // The normalised update (docs/model.md §5.1), in both forms: each neuron's step divided by the largest
    // |term| of its own update, so that one update moves no synapse by more than eta.
    bool normalise_update = false;
    // STDP only: depression per presynaptic spike relative to eta, the post trace's time constant, and the
    // hard weight bounds.
    double stdp_depression = 0.5;
    double stdp_tau_ms = 20.0;
    double weight_min = 0.0;
    double weight_max = 1.0;
};

}  // namespace softspike
