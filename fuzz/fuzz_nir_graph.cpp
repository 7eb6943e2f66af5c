// libFuzzer target: NIR graphs built from the fuzzer's bytes (node types, names, parameters, shapes, values
// and edges drawn from what NIR files hold), through the two halves of softspike's NIR support:
// * write_nir_file then read_nir_file must give the graph back (NaN equal to NaN);
// * nir_network must either refuse the graph with a CheckpointError or return a network that softspike can
//   run: its config validates again, its weights and biases are finite and of the graph's sizes.
// Arbitrary bytes as a file go to fuzz_nir_file; this target reaches the lowering's branches, which random
// HDF5 bytes almost never would.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/nir_file.hpp"
#include "run/config.hpp"
#include "run/nir_lowering.hpp"

namespace {

using softspike::NirArray;
using softspike::NirGraph;
using softspike::NirNode;

const std::vector<std::string> kTypes = {"Input", "Output", "Affine", "Linear", "LIF", "LI", "Delay",
                                         "CubaLIF", "IF", "Scale", "Conv2d", "Flatten", "NIRGraph", ""};
const std::vector<std::string> kNames = {"input", "output", "li", "affine", "linear", "lif", "delay",
                                         "inhibition", "x", "a b", "ü"};
const std::vector<std::string> kKeys = {"shape", "weight", "bias", "tau", "r", "v_leak", "v_threshold",
                                        "v_reset", "delay", "input_type", "x"};
// Sizes that meet the config's 784 inputs, small ones, and empty.
const std::vector<std::size_t> kDims = {0, 1, 2, 3, 10, 784, 28};
const std::vector<double> kValues = {0.0, 1.0, -1.0, 0.02, 0.5, -0.25, 784.0, 10.0,
                                     1e30, -1e30, NAN, INFINITY, -INFINITY, 2.0};

bool same(const NirArray& a, const NirArray& b) {
    if (a.kind != b.kind || a.shape != b.shape || a.values.size() != b.values.size()) return false;
    for (std::size_t i = 0; i < a.values.size(); ++i) {
        const double x = a.values[i];
        const double y = b.values[i];
        if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
    }
    return true;
}

bool same(const NirGraph& a, const NirGraph& b) {
    if (a.version != b.version || a.edges != b.edges || a.metadata != b.metadata || a.nodes.size() != b.nodes.size()) {
        return false;
    }
    for (const auto& [name, n] : a.nodes) {
        const auto it = b.nodes.find(name);
        if (it == b.nodes.end()) return false;
        const NirNode& m = it->second;
        if (n.type != m.type || n.metadata != m.metadata || n.parameters.size() != m.parameters.size()) return false;
        for (const auto& [key, value] : n.parameters) {
            const auto p = m.parameters.find(key);
            if (p == m.parameters.end() || !same(value, p->second)) return false;
        }
    }
    return true;
}

bool has_nul(const std::map<std::string, std::string>& m) {
    return std::any_of(m.begin(), m.end(), [](const auto& kv) { return kv.second.find('\0') != std::string::npos; });
}

bool has_nul(const NirGraph& g) {
    return has_nul(g.metadata) ||
           std::any_of(g.nodes.begin(), g.nodes.end(), [](const auto& n) { return has_nul(n.second.metadata); });
}

NirArray array(FuzzedDataProvider& in) {
    NirArray a;
    a.kind = in.ConsumeBool() ? NirArray::Kind::int64 : NirArray::Kind::float32;
    const std::size_t rank = in.ConsumeIntegralInRange<std::size_t>(0, 2);
    std::size_t count = 1;
    for (std::size_t r = 0; r < rank; ++r) {
        a.shape.push_back(kDims[in.ConsumeIntegralInRange<std::size_t>(0, kDims.size() - 1)]);
        count *= a.shape.back();
    }
    // Either one value everywhere, or values from a short pattern the bytes give, repeated.
    std::vector<double> pattern;
    const std::size_t distinct = in.ConsumeIntegralInRange<std::size_t>(1, 4);
    for (std::size_t i = 0; i < distinct; ++i) {
        double v = in.ConsumeBool() ? kValues[in.ConsumeIntegralInRange<std::size_t>(0, kValues.size() - 1)]
                                    : static_cast<double>(static_cast<float>(in.ConsumeFloatingPoint<float>()));
        // The file holds float32 or int64: values the graph could not hold as such would not read back equal.
        if (a.kind == NirArray::Kind::int64) v = std::isfinite(v) ? std::trunc(std::fmod(v, 1e15)) : 0.0;
        if (a.kind == NirArray::Kind::float32) v = static_cast<double>(static_cast<float>(v));
        pattern.push_back(v);
    }
    a.values.resize(count);
    for (std::size_t i = 0; i < count; ++i) a.values[i] = pattern[i % pattern.size()];
    return a;
}

NirGraph graph(FuzzedDataProvider& in) {
    NirGraph g;
    const std::size_t nodes = in.ConsumeIntegralInRange<std::size_t>(0, 6);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < nodes; ++i) {
        const std::string name = kNames[in.ConsumeIntegralInRange<std::size_t>(0, kNames.size() - 1)];
        NirNode n;
        n.type = kTypes[in.ConsumeIntegralInRange<std::size_t>(0, kTypes.size() - 1)];
        const std::size_t parameters = in.ConsumeIntegralInRange<std::size_t>(0, 6);
        for (std::size_t p = 0; p < parameters; ++p) {
            n.parameters[kKeys[in.ConsumeIntegralInRange<std::size_t>(0, kKeys.size() - 1)]] = array(in);
        }
        if (in.ConsumeBool()) n.metadata["note"] = in.ConsumeRandomLengthString(16);
        g.nodes[name] = std::move(n);
        names.push_back(name);
    }
    const std::size_t edges = names.empty() ? 0 : in.ConsumeIntegralInRange<std::size_t>(0, 8);
    for (std::size_t e = 0; e < edges; ++e) {
        const std::string from = names[in.ConsumeIntegralInRange<std::size_t>(0, names.size() - 1)];
        const std::string to = names[in.ConsumeIntegralInRange<std::size_t>(0, names.size() - 1)];
        g.edges.emplace_back(from, to);
    }
    if (in.ConsumeBool()) g.metadata["source"] = in.ConsumeRandomLengthString(16);
    return g;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const NirGraph g = graph(in);

    static const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("fuzz_nir_graph." + std::to_string(getpid()) + ".nir");
    try {
        softspike::write_nir_file(file, g);
    } catch (const softspike::OutputError&) {
        // The writer refuses texts HDF5 cannot hold (the names drawn here are all valid ones); anything else it
        // refuses is a bug.
        if (!has_nul(g)) __builtin_trap();
        return 0;
    }
    if (has_nul(g)) __builtin_trap();
    if (!same(softspike::read_nir_file(file), g)) __builtin_trap();

    static const softspike::Config config = softspike::parse_config(nlohmann::json::object(), "fuzz");
    try {
        const softspike::NirNetwork net = softspike::nir_network(g, config, "fuzz.nir");
        // What the graph set must be a config softspike accepts, and weights it can run.
        (void)softspike::parse_config(softspike::config_to_json(net.config), "from the graph");
        const auto& w = net.model.weights;
        if (w.targets() != net.config.population.neurons || net.model.biases.size() != w.targets()) __builtin_trap();
        for (const float b : net.model.biases) {
            if (!std::isfinite(b)) __builtin_trap();
        }
        for (std::size_t i = 0; i < w.sources(); ++i) {
            for (std::size_t k = 0; k < w.targets(); ++k) {
                if (!std::isfinite(w.at(i, k))) __builtin_trap();
            }
        }
    } catch (const softspike::CheckpointError&) {
    }
    return 0;
}
