#include "run/nir_lowering.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "neurons/encoder_params.hpp"

namespace softspike {

namespace {

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
        " (learning_rate " + nir_number(config.plasticity.learning_rate) + ")";
    g.metadata["encoder"] = "Poisson (or fixed-count) unit spikes, up to " + nir_number(config.encoder.max_rate_hz) +
                            " Hz per pixel over " + nir_number(config.encoder.presentation_ms) + " ms" +
                            (config.encoder.on_off ? ", ON and OFF channels per pixel" : "");
    g.metadata["chip"] = "weight_bits " + std::to_string(config.chip.weight_bits) + ", dead_synapses " +
                         nir_number(config.chip.dead_synapses) + ", weight_noise " + nir_number(config.chip.weight_noise) +
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
            nir_number(pop.output_rate_hz) + " Hz and each spike's neuron is drawn from softmax(u / " +
            nir_number(pop.temperature) + ") (docs/model.md §4.1), which NIR cannot express";
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
            ? "escape noise: no hard threshold, neuron k fires with hazard " + nir_number(pop.output_rate_hz) +
                  " Hz x exp((v_k - v_threshold) / " + nir_number(pop.temperature) +
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

namespace {

const char* const kSupported =
    "supported: Input -> [LI] -> Affine -> Output, or Input -> Linear|Affine -> LIF -> Output with an optional "
    "inhibition loop LIF -> Delay -> Linear -> LIF";

// Reads the nodes of one graph for nir_network, failing with the file, the node and what was expected.
struct GraphReader {
    const NirGraph& graph;
    std::string file;

    [[noreturn]] void fail(const std::string& node, const std::string& what) const {
        const auto it = graph.nodes.find(node);
        const std::string type = it == graph.nodes.end() ? "" : " (" + it->second.type + ")";
        throw CheckpointError(file + ": node \"" + node + "\"" + type + ": " + what);
    }
    const NirArray& parameter(const std::string& node, const std::string& key) const {
        const NirNode& n = graph.nodes.at(node);
        const auto it = n.parameters.find(key);
        if (it == n.parameters.end()) fail(node, "missing parameter '" + key + "'");
        return it->second;
    }
    void finite(const std::string& node, const std::string& key, const NirArray& a) const {
        for (std::size_t i = 0; i < a.values.size(); ++i) {
            if (!std::isfinite(a.values[i])) {
                fail(node, "parameter '" + key + "' holds " + nir_number(a.values[i]) + " at index " + std::to_string(i) +
                               " (expected finite values)");
            }
        }
    }
    // The one value every entry of a parameter holds (softspike's populations have one per parameter).
    double uniform(const std::string& node, const std::string& key) const {
        const NirArray& a = parameter(node, key);
        if (a.values.empty()) fail(node, "parameter '" + key + "' is empty");
        finite(node, key, a);
        for (const double v : a.values) {
            if (v != a.values.front()) fail(node, "parameter '" + key + "' differs between entries; softspike has one");
        }
        return a.values.front();
    }
    std::vector<std::string> successors(const std::string& node) const {
        std::vector<std::string> out;
        for (const auto& [from, to] : graph.edges) {
            if (from == node) out.push_back(to);
        }
        return out;
    }
    std::string only_successor(const std::string& node) const {
        const std::vector<std::string> next = successors(node);
        if (next.size() != 1) fail(node, "expected one outgoing edge, found " + std::to_string(next.size()) + "; " + kSupported);
        return next.front();
    }
    const std::string& type(const std::string& node) const { return graph.nodes.at(node).type; }
    // The (out, in) weight of an Affine or Linear node as our source-major projection.
    Projection weights(const std::string& node) const {
        const NirArray& w = parameter(node, "weight");
        if (w.shape.size() != 2 || w.shape[0] == 0 || w.shape[1] == 0 || w.values.size() != w.shape[0] * w.shape[1]) {
            fail(node, "weight: expected a non-empty 2-d (out, in) array");
        }
        finite(node, "weight", w);
        Projection p(w.shape[1], w.shape[0], 0);
        for (std::size_t k = 0; k < w.shape[0]; ++k) {
            for (std::size_t i = 0; i < w.shape[1]; ++i) p.at(i, k) = static_cast<float>(w.values[k * w.shape[1] + i]);
        }
        return p;
    }
    std::vector<float> bias(const std::string& node, std::size_t n) const {
        if (type(node) != "Affine") return std::vector<float>(n, 0.0F);
        const NirArray& b = parameter(node, "bias");
        if (b.values.size() != n) fail(node, "bias: expected " + std::to_string(n) + " values");
        finite(node, "bias", b);
        return {b.values.begin(), b.values.end()};
    }
};

}  // namespace

NirNetwork nir_network(const NirGraph& graph, const Config& config, const std::string& file) {
    const GraphReader g{graph, file};
    for (const auto& [name, node] : graph.nodes) {
        static const std::vector<std::string> known = {"Input", "LI", "Affine", "Linear", "LIF", "Delay", "Output"};
        if (std::find(known.begin(), known.end(), node.type) == known.end()) {
            g.fail(name, std::string("node type not run by softspike; ") + kSupported);
        }
    }
    std::string input;
    for (const auto& [name, node] : graph.nodes) {
        if (node.type == "Input") {
            if (!input.empty()) g.fail(name, "a second Input node; softspike runs graphs with one");
            input = name;
        }
    }
    if (input.empty()) throw CheckpointError(file + ": the graph has no Input node; " + kSupported);
    NirNetwork out{config, {}};
    std::string at = g.only_successor(input);
    if (g.type(at) == "LI") {
        const double tau = g.uniform(at, "tau");
        if (!(tau > 0.0) || g.uniform(at, "r") != tau || g.uniform(at, "v_leak") != 0.0) {
            g.fail(at, "expected tau > 0, r = tau and v_leak = 0: softspike's traces rise by 1 per spike and decay to 0");
        }
        out.config.encoder.trace_tau_ms = tau * 1000.0;
        at = g.only_successor(at);
        if (g.type(at) != "Affine") g.fail(at, std::string("expected an Affine after the traces; ") + kSupported);
    }
    if (g.type(at) != "Affine" && g.type(at) != "Linear") {
        g.fail(at, std::string("expected Affine, Linear or LI after the Input; ") + kSupported);
    }
    const std::string layer = at;
    out.model.weights = g.weights(layer);
    const std::size_t neurons = out.model.weights.targets();
    out.model.biases = g.bias(layer, neurons);
    const std::string next = g.only_successor(layer);
    std::string output;
    if (g.type(next) == "Output") {
        if (g.type(layer) != "Affine") g.fail(layer, std::string("a Linear straight into the Output; ") + kSupported);
        out.config.population.kind = WtaKind::stochastic;
        output = next;
    } else if (g.type(next) == "LIF") {
        const std::string lif = next;
        const double tau = g.uniform(lif, "tau");
        if (!(tau > 0.0) || g.uniform(lif, "r") != tau) {
            g.fail(lif, "expected r = tau > 0: each input spike adds its weight to the membrane");
        }
        const NirNode& n = graph.nodes.at(lif);
        if (n.parameters.contains("v_reset") && g.uniform(lif, "v_reset") != 0.0) {
            g.fail(lif, "v_reset: expected 0 (softspike's LIF resets by subtracting the threshold)");
        }
        if (g.parameter(lif, "v_leak").values.size() != neurons) g.fail(lif, "v_leak: expected one per neuron");
        g.finite(lif, "v_leak", g.parameter(lif, "v_leak"));
        for (std::size_t k = 0; k < neurons; ++k) {
            out.model.biases[k] += static_cast<float>(g.parameter(lif, "v_leak").values[k]);
        }
        out.config.population.kind = WtaKind::lif;
        out.config.population.threshold = g.uniform(lif, "v_threshold");
        if (!(out.config.population.threshold > 0.0)) g.fail(lif, "v_threshold: expected a positive threshold");
        out.config.encoder.trace_tau_ms = tau * 1000.0;
        out.config.population.inhibition = 0.0;
        for (const std::string& s : g.successors(lif)) {
            if (g.type(s) == "Output") {
                if (!output.empty()) g.fail(lif, "two edges into Output nodes");
                output = s;
            } else if (g.type(s) == "Delay") {
                const std::string inhibition = g.only_successor(s);
                if (g.type(inhibition) != "Linear" || g.only_successor(inhibition) != lif) {
                    g.fail(s, std::string("expected Delay -> Linear -> back into the LIF; ") + kSupported);
                }
                const NirArray& w = g.parameter(inhibition, "weight");
                if (w.shape != std::vector<std::size_t>{neurons, neurons} || w.values.size() != neurons * neurons) {
                    g.fail(inhibition, "weight: expected N x N");
                }
                g.finite(inhibition, "weight", w);
                const double lateral = neurons > 1 ? w.values[1] : 0.0;
                for (std::size_t r = 0; r < neurons; ++r) {
                    for (std::size_t c = 0; c < neurons; ++c) {
                        const double v = w.values[r * neurons + c];
                        if ((r == c && v != 0.0) || (r != c && v != lateral)) {
                            g.fail(inhibition, "expected 0 on the diagonal and one inhibitory weight off it (all-to-all "
                                               "lateral inhibition)");
                        }
                    }
                }
                if (lateral > 0.0) g.fail(inhibition, "the lateral weight is excitatory; softspike's is inhibition");
                out.config.population.inhibition = -lateral;
                out.config.population.inhibition_delay_ms = g.uniform(s, "delay") * 1000.0;
                if (out.config.population.inhibition_delay_ms < 0.0) g.fail(s, "delay: expected a delay >= 0");
            } else {
                g.fail(s, std::string("unexpected after the LIF; ") + kSupported);
            }
        }
        if (output.empty()) g.fail(lif, "no edge into an Output node");
    } else {
        g.fail(next, std::string("unexpected after the weights; ") + kSupported);
    }
    // Compared as doubles: a shape read from a file may hold anything, and NaN or 1e300 has no size_t.
    const NirArray& shape = g.parameter(output, "shape");
    if (shape.values.size() != 1 || shape.values[0] != static_cast<double>(neurons)) {
        g.fail(output, "shape: expected [" + std::to_string(neurons) + "], the weights' neurons");
    }
    const NirArray& in_shape = g.parameter(input, "shape");
    double inputs = in_shape.values.empty() ? 0.0 : 1.0;
    for (const double v : in_shape.values) {
        if (!(v >= 1.0 && std::trunc(v) == v && v < 1e9)) g.fail(input, "shape: " + nir_number(v) + " is no dimension");
        inputs *= v;
    }
    if (inputs != static_cast<double>(out.model.weights.sources())) {
        g.fail(input, "shape: " + nir_number(inputs) + " inputs, the weights read " +
                          std::to_string(out.model.weights.sources()));
    }
    out.config.population.neurons = neurons;
    // The graph's values go through the config's own checks (a threshold of 1e300, a delay beyond the window):
    // what softspike would refuse in a config it refuses in a graph, naming the file.
    try {
        (void)parse_config(config_to_json(out.config), file);
    } catch (const ConfigError& e) {
        throw CheckpointError(file + ": the graph sets a value softspike refuses: " + e.what());
    }
    return out;
}

}  // namespace softspike
