#include "run/network_setup.hpp"

#include <algorithm>

#include "neurons/input_encoder.hpp"

namespace softspike {

NetworkModel initial_model(const Config& config, std::size_t inputs) {
    return make_initial_model(inputs, config.population.neurons, ms_to_ticks(config.population.synaptic_delay_ms),
                              config.plasticity.initial_weight_norm, config.seed);
}

std::uint64_t estimated_run_bytes(const Config& config, std::size_t inputs, std::size_t train_images,
                                  std::size_t test_images) {
    const std::uint64_t neurons = config.population.neurons;
    const std::uint64_t weights = 4ULL * (inputs + 1) * neurons;  // weights + biases
    // A training run keeps the trained model and a copy in its last checkpoint snapshot.
    const std::uint64_t models = weights * 2;
    const std::uint64_t rates = 4ULL * (train_images + test_images) * neurons;
    // Per worker: traces, drives, logits and cumulative weights (a generous 64 bytes per neuron and input).
    const std::uint64_t per_thread = 64ULL * (inputs + neurons);
    return models + rates + per_thread * 64;
}

NetworkShape network_shape(const Config& config, std::size_t inputs) {
    return {inputs, config.population.neurons, config.encoder.presentation_ms, config.population.kind == WtaKind::lif};
}

void add_pixel_noise(std::span<float> pixels, double sd, Rng& rng) {
    for (float& p : pixels) p = std::clamp(p + static_cast<float>(sd * rng.normal()), 0.0F, 1.0F);
}

EncodedSample encode_sample(std::span<const float> pixels, const Config& config, Rng& rng) {
    return encode_sample(pixels, config, config.encoder, rng);
}

EncodedSample encode_sample(std::span<const float> pixels, const Config& config, const EncoderParams& encoder,
                            Rng& rng) {
    EncodedSample sample;
    if (config.chip.input_noise > 0.0) {
        std::vector<float> noisy(pixels.begin(), pixels.end());
        add_pixel_noise(noisy, config.chip.input_noise, rng);
        sample = encode(noisy, encoder, rng);
    } else {
        sample = encode(pixels, encoder, rng);
    }
    if (config.chip.spike_budget > 0 && sample.spikes.size() > config.chip.spike_budget) {
        sample.spikes.resize(config.chip.spike_budget);  // the train is time-sorted: these are the earliest
    }
    return sample;
}

SynapseMemory synapse_memory(const Config& config, std::size_t inputs) {
    return {config.chip, inputs, config.population.neurons, config.seed};
}

TrainingState initial_training_state(const Config& config, std::size_t inputs) {
    TrainingState state;
    state.model = initial_model(config, inputs);
    Rng rng = Rng::stream(config.seed, StreamPurpose::weight_programming, 0);
    synapse_memory(config, inputs).program(state.model.weights, rng);
    return state;
}

}  // namespace softspike
