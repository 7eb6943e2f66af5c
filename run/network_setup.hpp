#pragma once
#include <cstdint>
#include <span>

#include "chip/hardware_figures.hpp"
#include "chip/synapse_memory.hpp"
#include "core/random.hpp"
#include "network/network_model.hpp"
#include "neurons/input_spike.hpp"
#include "run/config.hpp"
#include "run/training_state.hpp"

namespace softspike {

// How a config becomes the network and the chip it runs on: the pieces every pipeline stage builds first.

// Builds the initial model from the config (shape, delay, initial norm, seed).
NetworkModel initial_model(const Config& config, std::size_t inputs);

// The network's shape as hardware sizes it, from the config and the number of input neurons.
NetworkShape network_shape(const Config& config, std::size_t inputs);

// The chip's synapse memory for this config's network (weight grid, dead synapses).
SynapseMemory synapse_memory(const Config& config, std::size_t inputs);

// A fresh start: the initial model (on the chip's weight grid, dead synapses zero), nothing done.
TrainingState initial_training_state(const Config& config, std::size_t inputs);

// chip.input_noise on one image's intensities: Gaussian of sd `sd` on every pixel, drawn from `rng` in pixel
// order, clamped to [0, 1].
void add_pixel_noise(std::span<float> pixels, double sd, Rng& rng);

// One image as the chip sees it: pixel noise (chip.input_noise), the configured code, then the spike budget
// (chip.spike_budget: the earliest spikes only). `rng` is the image's own stream.
EncodedSample encode_sample(std::span<const float> pixels, const Config& config, Rng& rng);
// The same with another code than encoder.* (evaluation's, LoweredConfig::evaluation_encoder).
EncodedSample encode_sample(std::span<const float> pixels, const Config& config, const EncoderParams& encoder,
                            Rng& rng);

// What a run will hold in memory at its peak, in bytes, from the sizes alone: the weights and the rate
// vectors of both data sets (the images themselves are already loaded). Checked against the machine's
// memory before anything that size is allocated.
std::uint64_t estimated_run_bytes(const Config& config, std::size_t inputs, std::size_t train_images,
                                  std::size_t test_images);

}  // namespace softspike
