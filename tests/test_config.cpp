#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "io/config_file.hpp"
#include "run/config.hpp"
#include "core/errors.hpp"

using namespace softspike;
using nlohmann::json;

namespace {
std::string error_of(const json& doc) {
    try {
        (void)parse_config(doc, "test.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("the shipped default config parses and round-trips through config_to_json") {
    const Config c = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    CHECK(c.population.neurons == 400);
    CHECK(c.data.train_images == 60000);
    const Config again = parse_config(config_to_json(c), "round trip");
    CHECK(config_to_json(again) == config_to_json(c));
}

TEST_CASE("an unknown key is an error naming its full path") {
    const std::string message = error_of(json{{"population", {{"neuronz", 10}}}});
    CHECK(message.find("test.json: unknown key 'population.neuronz'") != std::string::npos);
    CHECK(message.find("neurons") != std::string::npos);  // the known keys are listed
    CHECK(error_of(json{{"sed", 1}}).find("unknown key 'sed'") != std::string::npos);
}

TEST_CASE("a wrong type names the key, the expected type and the found value") {
    CHECK(error_of(json{{"population", {{"neurons", "many"}}}}) ==
          "test.json: key 'population.neurons': expected a whole number, found string \"many\"");
    CHECK(error_of(json{{"training", {{"shuffle", 1}}}}).find("expected true or false") != std::string::npos);
    CHECK(error_of(json{{"encoder", {{"kind", "rank"}}}}).find("one of \"poisson\" \"latency\"") != std::string::npos);
}

TEST_CASE("values out of range are rejected with the range") {
    CHECK(
        error_of(json{{"population", {{"neurons", 0}}}}).find("population.neurons': expected a whole number in [1,") !=
        std::string::npos);
    CHECK(error_of(json{{"population", {{"temperature", 0.0}}}}).find("expected a number in (0,") != std::string::npos);
    CHECK(error_of(json{{"plasticity", {{"learning_rate", -0.1}}}}).find("plasticity.learning_rate") !=
          std::string::npos);
    CHECK(error_of(json{{"population", {{"neurons", -3}}}}).find("population.neurons") != std::string::npos);
    CHECK(error_of(json{{"encoder", {{"presentation_ms", 30}}}, {"population", {{"onset_ms", 30}}}})
              .find("population.onset_ms': expected less than encoder.presentation_ms") != std::string::npos);
}

TEST_CASE("--set overrides are parsed as JSON and validated like the file") {
    json doc = json::object();
    apply_override(doc, "population.neurons=25");
    apply_override(doc, "population.kind=lif");
    apply_override(doc, "output.dir=\"/tmp/x\"");
    const Config c = parse_config(doc, "x");
    CHECK(c.population.neurons == 25);
    CHECK(c.population.kind == WtaKind::lif);
    CHECK(c.output.dir == "/tmp/x");
    apply_override(doc, "population.neurons=nan");
    CHECK(error_of(doc).find("expected a whole number, found string \"nan\"") != std::string::npos);
    CHECK_THROWS_AS(apply_override(doc, "=3"), ConfigError);
}

TEST_CASE("malformed JSON names the file and the byte") {
    const auto path = std::filesystem::temp_directory_path() / "softspike_bad_config.json";
    std::ofstream(path) << "{\"seed\": 1,, }";
    CHECK_THROWS_WITH_AS(read_json_file(path), doctest::Contains("malformed JSON at byte"), ConfigError);
    CHECK_THROWS_WITH_AS(read_json_file("/nonexistent/x.json"), doctest::Contains("/nonexistent/x.json: cannot open"),
                         ConfigError);
}

TEST_CASE("an empty config means the shipped default config: the struct defaults and the file agree") {
    const Config from_file = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/default.json", {});
    Config from_nothing = parse_config(json::object(), "empty");
    CHECK(from_nothing.description.empty());
    from_nothing.description = from_file.description;
    CHECK(config_to_json(from_nothing).dump(2) == config_to_json(from_file).dump(2));
}

TEST_CASE("every config, one without a description included, reads back from what config_to_json writes") {
    // A training checkpoint stores config_to_json and a resume parses it: a config without a description
    // used to be written with "" and then refused.
    const Config c = parse_config(json::object(), "empty");
    const Config back = parse_config(config_to_json(c), "written");
    CHECK(config_to_json(back) == config_to_json(c));
    Config rate = c;
    rate.rate.hidden_layers = {30, 20};
    rate.compare.spike_budgets = {};
    rate.plasticity.rule = "oja";
    CHECK(config_to_json(parse_config(config_to_json(rate), "written")) == config_to_json(rate));
}
