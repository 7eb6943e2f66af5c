// The on-chip scenario and the hardware figures: weight grid and stochastic rounding, dead synapses,
// footprint, energy = counts x cost table, cost table validation.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "io/config_file.hpp"
#include "run/config.hpp"
#include "io/cost_table_file.hpp"
#include "io/dataset_loader.hpp"
#include "core/errors.hpp"
#include "plasticity/softhebb.hpp"
#include "run/evaluation.hpp"
#include "run/network_setup.hpp"
#include "run/training.hpp"
#include "network/spiking_network.hpp"
#include "chip/synapse_memory.hpp"

using namespace softspike;

namespace {
bool on_grid(float w, float step, float range) {
    const float q = w / step;
    return std::abs(q - std::round(q)) < 1e-3F && std::abs(w) <= range * (1.0F + 1e-6F);
}
}  // namespace

TEST_CASE("stochastic rounding is unbiased - nearest rounding and clamping stay on the grid") {
    ChipParams chip;
    chip.weight_bits = 4;  // 7 steps each side of zero
    chip.weight_range = 0.7;
    const SynapseMemory memory(chip, 1, 1, 1);
    CHECK(memory.step() == doctest::Approx(0.1F));
    Rng rng(3);
    for (const float w : {0.0F, 0.0123F, -0.234F, 0.65F, -0.7F}) {
        CAPTURE(w);
        double sum = 0.0;
        int off_grid = 0;
        constexpr int n = 200000;
        for (int i = 0; i < n; ++i) {
            const float r = memory.round(w, rng);
            off_grid += on_grid(r, 0.1F, 0.7F) ? 0 : 1;
            sum += r;
        }
        CHECK(off_grid == 0);
        // A rounding takes one of two values 0.1 apart: the mean's standard error is below 0.05 / sqrt(n).
        CHECK(std::abs(sum / n - w) < 5 * 0.05 / std::sqrt(n));
    }
    CHECK(memory.round(5.0F, rng) == doctest::Approx(0.7F));  // clamped to the range
    chip.stochastic_rounding = false;
    const SynapseMemory nearest(chip, 1, 1, 1);
    CHECK(nearest.round(0.149F, rng) == doctest::Approx(0.1F));
    CHECK(nearest.round(0.151F, rng) == doctest::Approx(0.2F));
    CHECK(nearest.round(-0.26F, rng) == doctest::Approx(-0.3F));
}

TEST_CASE("training at 4 and 8 bits keeps every weight on the grid, and the grid changes the result") {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    c.population.neurons = 20;
    c.data.train_images = 200;
    const Dataset data = load_fashion_mnist(c.data.dir, "train", c.data.train_images);
    const auto full = train(c, data, initial_training_state(c, data.pixels_per_image()), false);
    for (const std::uint32_t bits : {4U, 8U}) {
        CAPTURE(bits);
        c.chip.weight_bits = bits;
        const auto q = train(c, data, initial_training_state(c, data.pixels_per_image()), false);
        const float step = static_cast<float>(c.chip.weight_range / ((1U << (bits - 1)) - 1));
        std::size_t off = 0;
        for (const float w : q.model.weights.weights()) off += on_grid(w, step, 1.0F) ? 0 : 1;
        CHECK(off == 0);
        CHECK(q.model.weights.weights() != full.model.weights.weights());
        // Each plasticity update of a float weight ends on the grid, and the footprint follows the bits.
        CHECK(q.stats.hardware.footprint_bytes == 784ULL * 20 * bits / 8 + 4 * 20 + 4 * 784 + 4 * 20);
    }
}

TEST_CASE("dead synapses are zero, never learn and are not counted") {
    ChipParams chip;
    chip.dead_synapses = 0.5;
    const SynapseMemory memory(chip, 3, 2, 11);
    std::uint32_t live = 0;
    for (std::uint32_t i = 0; i < 3; ++i) live += memory.live_in_row(i);
    CHECK(live == memory.live_synapses());
    REQUIRE(live < 6);  // with this seed some of the 6 synapses are dead
    REQUIRE(live > 0);

    PopulationParams p;
    p.neurons = 2;
    p.output_rate_hz = 4000.0;
    p.onset_ms = 0.0;
    EncoderParams e;
    e.presentation_ms = 10.0;
    SpikingNetwork net(3, p, e);
    net.set_synapse_memory(&memory);
    NetworkModel model{Projection(3, 2, ms_to_ticks(1.0)), {0.0F, 0.0F}};
    for (float& w : model.weights.weights()) w = 0.5F;
    Rng rng(5);
    memory.program(model.weights, rng);
    std::vector<bool> dead(6);
    for (std::size_t j = 0; j < 6; ++j) dead[j] = model.weights.weights()[j] == 0.0F;
    EncodedSample sample;
    sample.spikes = {{1000, 0, 1.0F}, {2000, 1, 1.0F}, {3000, 2, 1.0F}, {4000, 0, 1.0F}};
    SoftHebb rule(0.05);
    const auto counts = net.present_learning(sample, 0, model, rule, rng);
    const EventCounters& c = net.counters();
    const std::uint64_t expected_events =
        2 * memory.live_in_row(0) + memory.live_in_row(1) + memory.live_in_row(2);
    CHECK(c.synaptic_events == expected_events);
    CHECK(c.membrane_updates == expected_events);
    CHECK(c.effective_acs == expected_events);  // live synapses all have nonzero weight here
    // Every output spike rewrites the live synapses of its neuron only.
    std::uint64_t expected_updates = 0;
    for (std::uint32_t k = 0; k < 2; ++k) {
        std::uint64_t live_in_column = 0;
        for (std::size_t i = 0; i < 3; ++i) live_in_column += dead[i * 2 + k] ? 0 : 1;
        expected_updates += counts[k] * live_in_column;
    }
    CHECK(c.output_spikes > 0);
    CHECK(c.plasticity_updates == expected_updates);
    for (std::size_t j = 0; j < 6; ++j) {
        if (dead[j]) CHECK(model.weights.weights()[j] == 0.0F);
    }
}

TEST_CASE("footprint at 4, 8 and 32 bits - energy is counts times the table, category by category") {
    const NetworkShape shape{784, 400, 40.0, false};
    Projection w(784, 400, 1000);
    w.at(3, 7) = 1.0F;
    EventCounters c;
    c.input_spikes = 2000;
    c.output_spikes = 600;
    c.synaptic_events = 800000;
    c.effective_acs = 700000;
    c.membrane_updates = 800000;
    c.plasticity_updates = 5000;
    c.trace_updates = 2000;
    c.bias_updates = 1200;
    for (const std::uint32_t bits : {4U, 8U, 32U}) {
        ChipParams chip;
        chip.weight_bits = bits;
        const HardwareFigures f = hardware_figures(c, 2, shape, chip, w);
        CHECK(f.footprint_bytes == 784ULL * 400 * bits / 8 + 400 * 4 + 784 * 4 + 400 * 4);
        CHECK(f.weight_read_bytes == doctest::Approx((800000.0 + 5000.0) * bits / 8));
        CHECK(f.weight_write_bytes == doctest::Approx(5000.0 * bits / 8));
    }
    const HardwareFigures f = hardware_figures(c, 2, shape, ChipParams{}, w);
    CHECK(f.neuron_steps == 400 * 40 * 2);
    CHECK(f.dense_ops == 784ULL * 400 * 2);
    CHECK(f.connection_sparsity == doctest::Approx(1.0 - 1.0 / (784.0 * 400.0)));
    CHECK(f.activation_sparsity == doctest::Approx(1.0 - 2600.0 / (1184.0 * 40 * 2)));

    CostTable table;
    table.name = "t";
    table.costs_pj = {{"effective_ac", {0.5, "s"}}, {"plasticity_update", {10.0, "s"}},
                      {"weight_read_byte", {2.0, "s"}}, {"neuron_step", {1.0, "s"}}};
    const EnergyEstimate e = estimate_energy(f, table);
    REQUIRE(e.pj_by_category.size() == 4);
    CHECK(e.pj_by_category[0] == std::pair<std::string, double>{"effective_ac", 350000.0});
    CHECK(e.pj_by_category[1] == std::pair<std::string, double>{"plasticity_update", 50000.0});
    CHECK(e.pj_by_category[2] == std::pair<std::string, double>{"weight_read_byte", 805000.0 * 4 * 2.0});
    CHECK(e.pj_by_category[3] == std::pair<std::string, double>{"neuron_step", 32000.0});
    CHECK(e.total_pj == 350000.0 + 50000.0 + 805000.0 * 8 + 32000.0);
}

TEST_CASE("the shipped cost tables load, every entry has its source - bad tables are rejected by key") {
    const auto tables = load_cost_tables(default_cost_table_dir());
    REQUIRE(tables.size() == 4);
    for (const CostTable& t : tables) {
        CAPTURE(t.name);
        CHECK_FALSE(t.source.empty());
        for (const auto& [category, entry] : t.costs_pj) CHECK_FALSE(entry.source.empty());
    }
    CHECK(tables[3].name == "truenorth");
    CHECK(tables[3].all_in);
    CHECK(tables[3].costs_pj.size() == 1);

    const auto bad = [](const char* text) { return parse_cost_table(nlohmann::json::parse(text), "my.json"); };
    CHECK_THROWS_WITH_AS(bad(R"({"name":"x","source":"s","costs_pj":{"flops":{"pj":1,"source":"s"}}})"),
                         doctest::Contains("my.json: key 'costs_pj.flops': expected a category among"),
                         ConfigError);
    CHECK_THROWS_WITH_AS(bad(R"({"name":"x","source":"s","costs_pj":{"effective_ac":{"pj":-1,"source":"s"}}})"),
                         doctest::Contains("key 'costs_pj.effective_ac.pj': expected a finite number >= 0"),
                         ConfigError);
    CHECK_THROWS_WITH_AS(bad(R"({"name":"x","source":"s","costs_pj":{"effective_ac":{"pj":1}}})"),
                         doctest::Contains("key 'source': expected a string, found nothing"), ConfigError);
    CHECK_THROWS_WITH_AS(bad(R"({"name":"x","costs_pj":{"effective_ac":{"pj":1,"source":"s"}}})"),
                         doctest::Contains("key 'source'"), ConfigError);
}

TEST_CASE("spike budget keeps the earliest spikes - input noise changes the spike train - both are seeded") {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    const Dataset data = load_fashion_mnist(c.data.dir, "t10k", 5);
    Rng a = Rng::stream(1, StreamPurpose::test_fixture, 0);
    const EncodedSample full = encode_sample(data.image(0), c, a);
    REQUIRE(full.spikes.size() > 500);
    c.chip.spike_budget = 500;
    Rng b = Rng::stream(1, StreamPurpose::test_fixture, 0);
    const EncodedSample cut = encode_sample(data.image(0), c, b);
    REQUIRE(cut.spikes.size() == 500);
    CHECK(std::equal(cut.spikes.begin(), cut.spikes.end(), full.spikes.begin()));

    c.chip.spike_budget = 0;
    c.chip.input_noise = 0.2;
    Rng n1 = Rng::stream(1, StreamPurpose::test_fixture, 0);
    Rng n2 = Rng::stream(1, StreamPurpose::test_fixture, 0);
    const EncodedSample noisy = encode_sample(data.image(0), c, n1);
    CHECK(noisy.spikes == encode_sample(data.image(0), c, n2).spikes);
    // Background pixels (intensity 0) now fire too: noise clamped at 0 adds positive intensity only.
    CHECK(noisy.spikes.size() > full.spikes.size());
}

TEST_CASE("weight noise changes what a frozen pass reads, the same way for a seed") {
    Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    c.population.neurons = 20;
    c.evaluation.output_rate_hz = 2000.0;
    const Dataset data = load_fashion_mnist(c.data.dir, "t10k", 50);
    const NetworkModel model = initial_model(c, data.pixels_per_image());
    const FrozenPass clean = run_frozen(c, model, data, FrozenSet::test_set, 0, false);
    c.chip.weight_noise = 0.5;
    const FrozenPass noisy = run_frozen(c, model, data, FrozenSet::test_set, 0, false);
    const FrozenPass again = run_frozen(c, model, data, FrozenSet::test_set, 0, false);
    CHECK(noisy.rates.counts != clean.rates.counts);
    CHECK(noisy.rates.counts == again.rates.counts);
    CHECK(noisy.stats.counters.input_spikes == clean.stats.counters.input_spikes);
}
