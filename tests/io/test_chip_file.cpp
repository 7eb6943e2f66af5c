// Chip descriptions (io/chip_file): the shipped ones load with their sources; a bad key or value is a
// ConfigError naming the file and the key.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/errors.hpp"
#include "io/chip_file.hpp"

using namespace softspike;

TEST_CASE("the shipped chip descriptions load, each limit with a note on where it comes from") {
    for (const char* name : {"loihi_like", "truenorth_like"}) {
        CAPTURE(name);
        const ChipDescription c =
            load_chip_description(std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/chips/" + name + ".json");
        CHECK(c.name == name);
        CHECK_FALSE(c.source.empty());
        for (const char* key : {"cores", "neurons_per_core", "axons_per_core", "synapses_per_core",
                                "synaptic_memory_bytes_per_core", "packet_pj", "step_ms"}) {
            CHECK_MESSAGE(c.notes.contains(key), key);
        }
    }
    const ChipDescription loihi =
        load_chip_description(std::string(SOFTSPIKE_SOURCE_DIR) + "/configs/chips/loihi_like.json");
    CHECK(loihi.cores == 128);
    CHECK(loihi.neurons_per_core == 1024);
    CHECK(loihi.synaptic_memory_bytes_per_core * loihi.cores == 16U * 1024U * 1024U);  // 16 MB in all
}

TEST_CASE("a chip description with a bad key or value names the file, the key, what was expected and found") {
    const nlohmann::json good = {{"name", "c"},
                                 {"source", "s"},
                                 {"cores", 2},
                                 {"neurons_per_core", 4},
                                 {"axons_per_core", 8},
                                 {"synapses_per_core", 32},
                                 {"synaptic_memory_bytes_per_core", 32},
                                 {"packet_pj", 1.5}};
    CHECK(parse_chip_description(good, "c.json").step_ms == 1.0);
    const auto bad = [&](const char* key, const nlohmann::json& value, const char* message) {
        nlohmann::json j = good;
        if (value.is_null()) {
            j.erase(key);
        } else {
            j[key] = value;
        }
        CAPTURE(key);
        CHECK_THROWS_WITH_AS((void)parse_chip_description(j, "c.json"), doctest::Contains(message), ConfigError);
    };
    bad("cores", nullptr, "c.json: key 'cores': expected a whole number >= 1 (and below 2^48), found nothing");
    bad("cores", 0, "c.json: key 'cores': expected a whole number >= 1 (and below 2^48), found 0");
    bad("axons_per_core", -3, "key 'axons_per_core': expected a whole number >= 1 (and below 2^48), found -3");
    bad("neurons_per_core", 2.5, "key 'neurons_per_core': expected a whole number >= 1 (and below 2^48), found 2.5");
    bad("packet_pj", -1.0, "key 'packet_pj': expected a finite number >= 0 (picojoules per packet), found -1.0");
    bad("step_ms", 0, "key 'step_ms': expected a finite number > 0 (milliseconds), found 0");
    bad("name", "", "key 'name': expected a non-empty string, found \"\"");
    bad("neuron_per_core", 4, "c.json: key 'neuron_per_core': expected one of name, description, source");
    bad("notes", nlohmann::json{{"cors", "x"}}, "key 'notes.cors': expected a note on one of the chip's keys");
    CHECK_THROWS_WITH_AS((void)load_chip_description("/nonexistent/chip.json"), doctest::Contains("/nonexistent/chip.json"),
                         ConfigError);
}
