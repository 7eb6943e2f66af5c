#include "run/nir_lowering.hpp"

#include <sstream>

#include "core/errors.hpp"
#include "neurons/encoder_params.hpp"

namespace softspike {

namespace {

std::string number(double v) {
    std::ostringstream out;
    out.precision(17);
    out << v;
    return out.str();
}

NirArray filled(std::size_t n, double value) { return NirArray::floats({n}, std::vector<double>(n, value)); }

NirNode shape_node(const char* type, std::size_t n) {
    NirNode node;
    node.type = type;
    node.parameters["shape"] = NirArray::integers({1}, {static_cast<double>(n)});
    return node;
}

// W as NIR's (out, in) matrix from our source-major projection.
NirArray weight_matrix(const Projection& w) {
    std::vector<double> values(w.targets() * w.sources());
    for (std::size_t i = 0; i < w.sources(); ++i) {
        for (std::size_t k = 0; k < w.targets(); ++k) values[k * w.sources() + i] = w.at(i, k);
    }
    return NirArray::floats({w.targets(), w.sources()}, std::move(values));
}

}  // namespace

NirGraph nir_graph(const Config& config, const NetworkModel& model) {
    if (!config.network.layers.empty()) {
        throw ConfigError(
            "network.layers: export-nir exports the single-layer network; a deep network's triangle competition "
            "and max pooling have no NIR node (expected an empty list, found " +
            std::to_string(config.network.layers.size()) + " layers)");
    }
    const Projection& w = model.weights;
    const std::size_t inputs = w.sources();
    const std::size_t neurons = w.targets();
    const PopulationParams& pop = config.population;
    const double tau = config.encoder.trace_tau_ms / 1000.0;
    NirGraph g;
    g.metadata["producer"] = "softspike";
    g.metadata["description"] = config.description;
    g.metadata["seed"] = std::to_string(config.seed);
    g.metadata["plasticity"] =
        "not exported: the weights are frozen; they were learned on-line by " + config.plasticity.rule +
        " (learning_rate " + number(config.plasticity.learning_rate) + ")";
    g.metadata["encoder"] = "Poisson (or fixed-count) unit spikes, up to " + number(config.encoder.max_rate_hz) +
                            " Hz per pixel over " + number(config.encoder.presentation_ms) + " ms" +
                            (config.encoder.on_off ? ", ON and OFF channels per pixel" : "");
    g.metadata["chip"] = "weight_bits " + std::to_string(config.chip.weight_bits) + ", dead_synapses " +
                         number(config.chip.dead_synapses) + ", weight_noise " + number(config.chip.weight_noise) +
                         " (not expressed: the weights are exported as they were learned)";
    g.nodes["input"] = shape_node("Input", inputs);
    g.nodes["output"] = shape_node("Output", neurons);
    if (pop.kind == WtaKind::stochastic) {
        // tau dv/dt = (v_leak - v) + r I: with r = tau a unit spike raises the trace by 1, as ours.
        NirNode trace;
        trace.type = "LI";
        trace.parameters["tau"] = filled(inputs, tau);
        trace.parameters["r"] = filled(inputs, tau);
        trace.parameters["v_leak"] = filled(inputs, 0.0);
        trace.metadata["softspike"] =
            "the drive reads each trace with the warm-up correction x_hat = trace / (1 - exp(-(t - t_a) / tau)) "
            "(docs/model.md §3), which NIR's LI does not apply; the encoder's rates are p / ||p|| per image";
        g.nodes["trace"] = trace;
        NirNode affine;
        affine.type = "Affine";
        affine.parameters["weight"] = weight_matrix(w);
        affine.parameters["bias"] = NirArray::floats({neurons}, std::vector<double>(model.biases.begin(), model.biases.end()));
        affine.metadata["softspike"] =
            "u = W x_hat + b: the drives of a stochastic soft-WTA; the population fires at " +
            number(pop.output_rate_hz) + " Hz and each spike's neuron is drawn from softmax(u / " +
            number(pop.temperature) + ") (docs/model.md §4.1), which NIR cannot express";
        g.nodes["affine"] = affine;
        g.edges = {{"input", "trace"}, {"trace", "affine"}, {"affine", "output"}};
        g.metadata["population"] = "stochastic soft-WTA of " + std::to_string(neurons) + " neurons";
        return g;
    }
    NirNode linear;
    linear.type = "Linear";
    linear.parameters["weight"] = weight_matrix(w);
    g.nodes["linear"] = linear;
    NirNode lif;
    lif.type = "LIF";
    lif.parameters["tau"] = filled(neurons, tau);
    lif.parameters["r"] = filled(neurons, tau);
    lif.parameters["v_leak"] = NirArray::floats({neurons}, std::vector<double>(model.biases.begin(), model.biases.end()));
    lif.parameters["v_threshold"] = filled(neurons, pop.threshold);
    lif.parameters["v_reset"] = filled(neurons, 0.0);
    lif.metadata["softspike"] =
        pop.escape_noise
            ? "escape noise: no hard threshold, neuron k fires with hazard " + number(pop.output_rate_hz) +
                  " Hz x exp((v_k - v_threshold) / " + number(pop.temperature) +
                  ") (docs/model.md §4.3), and a spike adds the inhibition to the spiker's own I, not a reset"
            : "reset by subtraction: a spike subtracts v_threshold from v (NIR's LIF resets to v_reset), and "
              "the membrane starts at v_leak each presentation (docs/model.md §4.2)";
    lif.metadata["softspike_drive"] =
        "v = W x_hat + b - I: the input reaches the membrane through the warm-up corrected traces (docs/model.md "
        "§3), one time constant for traces, membrane and inhibition";
    g.nodes["lif"] = lif;
    NirNode delay;
    delay.type = "Delay";
    delay.parameters["delay"] = filled(neurons, pop.inhibition_delay_ms / 1000.0);
    g.nodes["inhibition_delay"] = delay;
    NirNode inhibition;
    inhibition.type = "Linear";
    std::vector<double> lateral(neurons * neurons, -pop.inhibition);
    for (std::size_t k = 0; k < neurons; ++k) lateral[k * neurons + k] = 0.0;
    inhibition.parameters["weight"] = NirArray::floats({neurons, neurons}, std::move(lateral));
    g.nodes["inhibition"] = inhibition;
    g.edges = {{"input", "linear"},
               {"linear", "lif"},
               {"lif", "inhibition_delay"},
               {"inhibition_delay", "inhibition"},
               {"inhibition", "lif"},
               {"lif", "output"}};
    g.metadata["population"] = "LIF soft-WTA of " + std::to_string(neurons) + " neurons with lateral inhibition";
    return g;
}

}  // namespace softspike
