#include "run/lowering.hpp"

#include "core/errors.hpp"
#include "plasticity/rule_registry.hpp"

namespace softspike {

LoweredConfig lower(const Config& config) {
    LoweredConfig lowered;
    lowered.training_population = config.population;
    lowered.evaluation_population = config.population;
    lowered.evaluation_population.output_rate_hz = config.evaluation.output_rate_hz;
    lowered.evaluation_population.temperature = config.evaluation.temperature;
    lowered.evaluation_population.low_discrepancy = config.evaluation.low_discrepancy;
    if (config.evaluation.signal == EvaluationSignal::drive) lowered.evaluation_population.output_rate_hz = 0.0;
    lowered.evaluation_encoder = config.encoder;
    if (config.evaluation.spikes_per_image > 0) {
        lowered.evaluation_encoder.kind = EncoderKind::fixed_count;
        lowered.evaluation_encoder.spikes_per_image = config.evaluation.spikes_per_image;
    }
    if (config.evaluation.trace_tau_ms > 0.0) lowered.evaluation_encoder.trace_tau_ms = config.evaluation.trace_tau_ms;

    // Both soft-WTA forms with a softmax draw fire R0 (T - onset) spikes a presentation in expectation: the
    // stochastic one exactly, the escape-noise LIF at the free energy its threshold is set for (model.md §4.3).
    const bool stochastic = config.population.kind == WtaKind::stochastic || config.population.escape_noise;
    if (stochastic) {
        lowered.expected_training_spikes =
            config.population.output_rate_hz * (config.encoder.presentation_ms - config.population.onset_ms) / 1000.0;
    }

    const RateParams& rate = config.rate;
    RateLayerParams& layer = lowered.rate_network.layer;
    layer.temperature = rate.temperature > 0.0 ? rate.temperature : config.population.temperature;
    // Both forms take the same expected step per image: eta per spike times the spikes of a presentation.
    layer.learning_rate = rate.learning_rate > 0.0 ? rate.learning_rate
                          : stochastic             ? config.plasticity.learning_rate * lowered.expected_training_spikes
                                                   : 0.0;
    layer.adaptive_power = config.plasticity.adaptive_power;
    layer.norm_target = config.plasticity.norm_target;
    layer.anti_hebbian = rate.anti_hebbian || config.plasticity.anti_hebbian;
    layer.normalise_update = rate.normalise_update;
    layer.normalise_per_neuron = config.plasticity.normalise_update;
    layer.learn_biases = rate.learn_biases;
    layer.bias_learning_rate = rate.bias_learning_rate;
    if (stochastic) {
        layer.homeostasis_rate = config.population.homeostasis_rate;
        layer.homeostasis_spikes = lowered.expected_training_spikes;
    }
    lowered.rate_network.features = rate.features;
    lowered.rate_network.feature_temperature =
        rate.feature_temperature > 0.0 ? rate.feature_temperature : config.evaluation.temperature;
    lowered.rate_epochs = rate.epochs > 0 ? rate.epochs : config.training.epochs;
    return lowered;
}

void require_rate_form(const Config& config) {
    const RuleEntry* rule = find_rule(config.plasticity.rule);
    if (rule == nullptr || !rule->has_rate_form) {
        throw ConfigError("plasticity.rule: expected a rule with a rate form (" + rule_names(true) +
                          ") for the rate model, found \"" + config.plasticity.rule + "\" (spiking only)");
    }
    if (lower(config).rate_network.layer.learning_rate <= 0.0) {
        throw ConfigError(
            "rate.learning_rate: expected a positive number for a LIF population without escape noise (the rate "
            "form's eta is derived from the output rate of the forms that draw from softmax only), found 0");
    }
}

}  // namespace softspike
