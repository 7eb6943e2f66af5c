// Core mapping (chip/core_mapping): hand-computed partitions and packet counts on small layers, and the
// clear refusal of a neuron no core can hold.
#include <doctest/doctest.h>

#include "chip/core_mapping.hpp"
#include "core/errors.hpp"

using namespace softspike;

namespace {

ChipDescription small_chip() {
    ChipDescription c;
    c.name = "tiny";
    c.cores = 4;
    c.neurons_per_core = 3;
    c.axons_per_core = 10;
    c.synapses_per_core = 100;
    c.synaptic_memory_bytes_per_core = 1000;
    c.packet_pj = 2.0;
    c.step_ms = 1.0;
    return c;
}

// A mapping with the packets of `traffic` counted.
CoreMapping mapped(const LayerDemand& layer, const LayerTraffic& traffic, const ChipDescription& chip, double ms) {
    CoreMapping m = map_layer(layer, chip, ms, "tiny.json");
    count_packets(m, traffic);
    return m;
}

}  // namespace

TEST_CASE("a dense layer packs neurons in order under the tightest per-core limit") {
    const ChipDescription chip = small_chip();
    // 7 neurons of fan-in 8 at 8 bits: 3 per core by neurons_per_core (synapses allow 100 / 8 = 12, memory
    // 8000 / 64 = 125), so 3 cores (3 + 3 + 1); one chip of 4 cores.
    const LayerTraffic traffic{50, 20, 2};  // 50 input spikes, 20 output spikes over 2 images
    const CoreMapping m = mapped({"wta", 7, 8, 8, false}, traffic, chip, 40.0);
    CHECK(m.neurons_per_core == 3);
    CHECK(m.binding_limit == "neurons_per_core");
    CHECK(m.cores_used == 3);
    CHECK(m.chips_used == 1);
    CHECK(m.axons_per_core == 8);
    CHECK(m.synapses_per_core == 24);
    CHECK(m.memory_bytes_per_core == 24);  // 24 synapses x 8 bits
    CHECK(m.memory_fraction == doctest::Approx(0.024));
    // Every input spike reaches each of the 3 cores; no inhibition in the stochastic form; each output spike
    // leaves once.
    CHECK(m.input_packets == 150);
    CHECK(m.inhibition_packets == 0);
    CHECK(m.output_packets == 20);
    CHECK(m.packets() == 170);
    CHECK(m.steps_to_decision == 40);

    // LIF form: one more axon and one more synapse per neuron; each output spike inhibits the 2 other cores.
    const CoreMapping lif = mapped({"wta", 7, 8, 8, true}, traffic, chip, 40.0);
    CHECK(lif.axons_per_core == 9);
    CHECK(lif.synapses_per_core == 27);
    CHECK(lif.inhibition_packets == 40);
    CHECK(lif.packets() == 150 + 40 + 20);
}

TEST_CASE("synapses and weight memory bind when they are tighter, and a network larger than a chip spans chips") {
    ChipDescription chip = small_chip();
    chip.neurons_per_core = 100;
    // Fan-in 9 at 32 bits: synapses 100 / 9 = 11, memory 8000 bits / 288 = 27: 11 per core.
    CoreMapping m = map_layer({"wta", 50, 9, 32, false}, chip, 40.0, "tiny.json");
    CHECK(m.neurons_per_core == 11);
    CHECK(m.binding_limit == "synapses_per_core");
    CHECK(m.cores_used == 5);  // 11 x 4 + 6
    CHECK(m.chips_used == 2);  // 5 cores over chips of 4
    chip.synaptic_memory_bytes_per_core = 100;  // 800 bits / 288 = 2 per core
    m = map_layer({"wta", 50, 9, 32, false}, chip, 2.5, "tiny.json");
    CHECK(m.neurons_per_core == 2);
    CHECK(m.binding_limit == "synaptic_memory_bytes_per_core");
    CHECK(m.cores_used == 25);
    CHECK(m.memory_bytes_per_core == 72);
    CHECK(m.steps_to_decision == 3);  // 2.5 ms at 1-ms steps: the decision comes at the third step
}

TEST_CASE("a neuron whose fan-in, synapses or weights exceed a core is a ConfigError naming the chip and key") {
    ChipDescription chip = small_chip();
    CHECK_THROWS_WITH_AS((void)map_layer({"wta", 4, 11, 8, false}, chip, 40.0, "tiny.json"),
                         "tiny.json: key 'axons_per_core': a neuron of layer 'wta' needs 11 axons (fan-in 11), a core "
                         "of chip 'tiny' has 10: the network cannot be mapped (splitting a neuron over cores is not "
                         "modelled)",
                         ConfigError);
    CHECK_THROWS_WITH_AS((void)map_layer({"wta", 4, 10, 8, true}, chip, 40.0, "tiny.json"),
                         doctest::Contains("needs 11 axons (fan-in 10 + 1 inhibitory input)"), ConfigError);
    chip.axons_per_core = 1000;
    CHECK_THROWS_WITH_AS((void)map_layer({"wta", 4, 101, 8, false}, chip, 40.0, "tiny.json"),
                         doctest::Contains("key 'synapses_per_core': a neuron of layer 'wta' needs 101 synapses"),
                         ConfigError);
    chip.synapses_per_core = 1000;
    chip.synaptic_memory_bytes_per_core = 10;
    CHECK_THROWS_WITH_AS((void)map_layer({"wta", 4, 11, 8, false}, chip, 40.0, "tiny.json"),
                         doctest::Contains("key 'synaptic_memory_bytes_per_core': a neuron of layer 'wta' needs 11 "
                                           "bytes of weights"),
                         ConfigError);
}
