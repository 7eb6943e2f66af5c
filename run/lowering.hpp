#pragma once
#include <cstddef>

#include "neurons/encoder_params.hpp"
#include "neurons/population_params.hpp"
#include "rate/rate_network.hpp"
#include "run/config.hpp"

namespace softspike {

// What a run's engines receive, lowered once from its Config: each engine gets its own struct, and every
// default that is "0: take it from another key" is resolved here and nowhere else (docs/model.md §7, for why the rate
// form's step and homeostasis follow the spiking form's output rate).
struct LoweredConfig {
    PopulationParams training_population;    // population.* as configured
    PopulationParams evaluation_population;  // population.* with evaluation.* (rate, temperature, sampling);
                                             // no output draws when the read-outs take the drive
    EncoderParams evaluation_encoder;        // encoder.*, or the fixed-count code of evaluation.spikes_per_image
    // Output spikes of a training presentation of the stochastic form: output_rate_hz x (presentation_ms -
    // onset_ms); 0 for the LIF form, whose spike count is not set by a rate.
    double expected_training_spikes = 0.0;
    RateNetworkParams rate_network;  // learning_rate 0 where it cannot be derived (LIF without rate.learning_rate)
    std::size_t rate_epochs = 1;     // rate.epochs, or training.epochs
};

LoweredConfig lower(const Config& config);

// Throws ConfigError unless the rate form can run this config: a rule with a rate form, and a per-sample
// learning rate (given, or derivable from the stochastic form's output rate).
void require_rate_form(const Config& config);

}  // namespace softspike
