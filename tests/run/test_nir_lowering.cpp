// NIR graphs read back as networks (run/nir_lowering): a graph from another tool may hold any number; what
// softspike cannot run is refused naming the file and the node, never turned into a network it cannot run.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"
#include "run/config.hpp"
#include "run/nir_lowering.hpp"

using namespace softspike;

namespace {

Config config_of(const char* kind) {
    nlohmann::json j = nlohmann::json::object();
    j["population"]["kind"] = kind;
    return parse_config(j, "test");
}

NetworkModel small_model() {
    NetworkModel m{Projection(784, 3, 0), {0.25F, -0.5F, 0.0F}};
    for (std::size_t i = 0; i < m.weights.weights().size(); ++i) {
        m.weights.weights()[i] = 0.01F * static_cast<float>(i % 7) - 0.02F;
    }
    return m;
}

void refused(const NirGraph& g, const Config& c, const char* message) {
    CHECK_THROWS_WITH_AS((void)nir_network(g, c, "model.nir"), doctest::Contains(message), CheckpointError);
}

}  // namespace

TEST_CASE("a graph nir_graph wrote reads back as the same network in both forms") {
    for (const char* kind : {"stochastic", "lif"}) {
        const Config c = config_of(kind);
        const NetworkModel m = small_model();
        const NirNetwork net = nir_network(nir_graph(c, m), c, "model.nir");
        CHECK(net.model.weights.weights().size() == m.weights.weights().size());
        CHECK(std::equal(m.weights.weights().begin(), m.weights.weights().end(), net.model.weights.weights().begin()));
        CHECK(net.model.biases == m.biases);
        CHECK(net.config.population.kind == c.population.kind);
        CHECK(net.config.population.neurons == 3);
    }
}

TEST_CASE("non-finite numbers, impossible shapes and values the config refuses are refused naming the node") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const Config stochastic = config_of("stochastic");
    const Config lif = config_of("lif");
    const NirGraph s = nir_graph(stochastic, small_model());
    const NirGraph l = nir_graph(lif, small_model());

    NirGraph g = s;
    g.nodes["affine"].parameters["weight"].values[5] = nan;
    refused(g, stochastic, "node \"affine\" (Affine): parameter 'weight' holds nan at index 5");
    g = s;
    g.nodes["affine"].parameters["bias"].values[1] = -inf;
    refused(g, stochastic, "node \"affine\" (Affine): parameter 'bias' holds -inf at index 1");
    g = s;
    g.nodes["trace"].parameters["tau"] = NirArray::floats({784}, std::vector<double>(784, inf));
    refused(g, stochastic, "node \"trace\" (LI): parameter 'tau' holds inf");
    // An Output shape no size_t can hold, or a negative one, is a mismatch, not a cast.
    for (const double v : {nan, 1e300, -3.0}) {
        g = s;
        g.nodes["output"].parameters["shape"].values[0] = v;
        refused(g, stochastic, "node \"output\" (Output): shape: expected [3]");
    }
    // An Input shape whose product is right but whose dimensions are not.
    g = s;
    g.nodes["input"].parameters["shape"] = NirArray::integers({2}, {-28.0, -28.0});
    refused(g, stochastic, "node \"input\" (Input): shape: -28 is no dimension");
    g = s;
    g.nodes["affine"].parameters["weight"] = NirArray::floats({0, 784}, {});
    refused(g, stochastic, "weight: expected a non-empty 2-d (out, in) array");

    g = l;
    g.nodes["lif"].parameters["v_threshold"] = NirArray::floats({3}, {inf, inf, inf});
    refused(g, lif, "node \"lif\" (LIF): parameter 'v_threshold' holds inf");
    g = l;
    g.nodes["lif"].parameters["v_leak"].values[2] = nan;
    refused(g, lif, "node \"lif\" (LIF): parameter 'v_leak' holds nan at index 2");
    g = l;
    g.nodes["inhibition_delay"].parameters["delay"] = NirArray::floats({3}, {nan, nan, nan});
    refused(g, lif, "node \"inhibition_delay\" (Delay): parameter 'delay' holds nan");
    // Finite, but more than the config accepts: the config's own check speaks, with the file named.
    g = l;
    g.nodes["inhibition_delay"].parameters["delay"] = NirArray::floats({3}, {1e6, 1e6, 1e6});
    refused(g, lif, "model.nir: the graph sets a value softspike refuses: ");
}
