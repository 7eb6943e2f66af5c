#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "io/config_file.hpp"
#include "plasticity/rule_registry.hpp"
#include "run/config.hpp"
#include "run/lowering.hpp"

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

TEST_CASE("every shipped config parses and round-trips") {
    std::size_t seen = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs")) {
        if (entry.path().extension() != ".json") continue;
        CAPTURE(entry.path().string());
        const Config c = load_config(entry.path(), {});
        CHECK(config_to_json(parse_config(config_to_json(c), "round trip")) == config_to_json(c));
        ++seen;
    }
    CHECK(seen >= 6);
    // The LIF config is the escape-noise form, with the derived threshold and inhibition of docs/model.md §4.3.
    const Config lif = load_config(std::filesystem::path(SOFTSPIKE_SOURCE_DIR) / "configs/lif.json", {});
    CHECK(lif.population.kind == WtaKind::lif);
    CHECK(lif.population.escape_noise);
    const double gain = 20.0;
    const double tau_i = lif.encoder.trace_tau_ms / 1000.0;
    CHECK(lif.population.inhibition ==
          doctest::Approx(gain * lif.population.temperature / (lif.population.output_rate_hz * tau_i)));
    CHECK(lif.population.threshold == doctest::Approx(0.935 - gain * lif.population.temperature));
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
    CHECK(error_of(json{{"plasticity", {{"rule", "oja"}, {"anti_hebbian", true}}}})
              .find("plasticity.anti_hebbian': expected false unless plasticity.rule is") != std::string::npos);
    CHECK(error_of(json{{"plasticity", {{"anti_hebbian", true}}}, {"chip", {{"plasticity_window_ms", 5}}}})
              .find("plasticity.anti_hebbian': expected false when chip.plasticity_window_ms") != std::string::npos);
    CHECK(error_of(json{{"population", {{"escape_noise", true}}}})
              .find("population.escape_noise': expected false unless population.kind is lif") != std::string::npos);
    CHECK(error_of(json{{"population", {{"hazard_step_ms", 0.0}}}}).find("population.hazard_step_ms") !=
          std::string::npos);
    CHECK(error_of(json{{"plasticity", {{"norm_target", 2.0}}}})
              .find("plasticity.norm_target': expected 1 unless plasticity.adaptive_power > 0") != std::string::npos);
    CHECK(error_of(json{{"evaluation", {{"trace_tau_ms", 0.5}}}})
              .find("evaluation.trace_tau_ms': expected 0 or at least encoder.presentation_ms / 40") !=
          std::string::npos);
    CHECK(error_of(json{{"evaluation", {{"signal", "membrane"}}}}).find("one of \"spike_counts\" \"drive\"") !=
          std::string::npos);
    CHECK(error_of(json{{"encoder", {{"spikes_per_image", 0}}}}).find("encoder.spikes_per_image") != std::string::npos);
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
    const auto path =
        std::filesystem::temp_directory_path() / ("softspike_bad_config." + std::to_string(::getpid()) + ".json");
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

TEST_CASE("the rule registry is what the parser, the factory and the messages read") {
    // Every registered rule parses, is built by make_rule, and agrees with its entry about the rate form.
    for (const RuleEntry& entry : plasticity_rules()) {
        CAPTURE(entry.name);
        nlohmann::json doc = {{"plasticity", {{"rule", std::string(entry.name)}}}};
        const Config c = parse_config(doc, "t.json");
        CHECK(c.plasticity.rule == entry.name);
        CHECK(make_rule(c.plasticity)->has_rate_form() == entry.has_rate_form);
        CHECK(config_to_json(c)["plasticity"]["rule"] == std::string(entry.name));
    }
    // An unknown name is refused with every registered name listed.
    try {
        (void)parse_config(nlohmann::json{{"plasticity", {{"rule", "bcm"}}}}, "t.json");
        FAIL("an unknown rule was accepted");
    } catch (const ConfigError& e) {
        const std::string what = e.what();
        CHECK(what.find("plasticity.rule") != std::string::npos);
        for (const RuleEntry& entry : plasticity_rules())
            CHECK(what.find(std::string(entry.name)) != std::string::npos);
    }
    // A rule checks its own parameters: the adaptive rate is SoftHebb's alone.
    CHECK_THROWS_WITH_AS(
        parse_config(nlohmann::json{{"plasticity", {{"rule", "oja"}, {"adaptive_power", 1.0}}}}, "t.json"),
        doctest::Contains("plasticity.adaptive_power"), ConfigError);
    CHECK_NOTHROW(
        parse_config(nlohmann::json{{"plasticity", {{"rule", "softhebb"}, {"adaptive_power", 1.0}}}}, "t.json"));
    // The rate form's message names the rules that have one.
    Config stdp;
    stdp.plasticity.rule = "stdp";
    const std::string rate_rules = rule_names(true);
    CHECK(rate_rules.find("stdp") == std::string::npos);
    CHECK_THROWS_WITH_AS(require_rate_form(stdp), doctest::Contains(rate_rules.c_str()), ConfigError);
}

TEST_CASE("lowering resolves every derived default once") {
    Config c;
    c.population.output_rate_hz = 250.0;
    c.encoder.presentation_ms = 40.0;
    c.population.onset_ms = 10.0;
    c.plasticity.learning_rate = 0.01;
    c.evaluation.output_rate_hz = 40000.0;
    c.evaluation.temperature = 0.03;
    c.training.epochs = 3;
    LoweredConfig l = lower(c);
    CHECK(l.expected_training_spikes == doctest::Approx(7.5));
    CHECK(l.rate_network.layer.learning_rate == doctest::Approx(0.075));  // eta per spike x spikes per image
    CHECK(l.rate_network.layer.temperature == c.population.temperature);
    CHECK(l.rate_network.feature_temperature == 0.03);
    CHECK(l.rate_epochs == 3);
    // The drive read-out draws no output spikes; evaluation reads the fixed-count code through integrating
    // membranes, training keeps the configured code.
    CHECK(c.evaluation.signal == EvaluationSignal::drive);
    CHECK(l.evaluation_population.output_rate_hz == 0.0);
    CHECK(l.evaluation_population.temperature == 0.03);
    CHECK(l.evaluation_encoder.kind == EncoderKind::fixed_count);
    CHECK(l.evaluation_encoder.spikes_per_image == 784);
    CHECK(l.evaluation_encoder.trace_tau_ms == 1000.0);
    CHECK(l.training_population.output_rate_hz == 250.0);
    c.evaluation.signal = EvaluationSignal::spike_counts;
    c.evaluation.spikes_per_image = 0;
    c.evaluation.trace_tau_ms = 0.0;
    l = lower(c);
    CHECK(l.evaluation_population.output_rate_hz == 40000.0);
    CHECK(l.evaluation_encoder.kind == c.encoder.kind);
    CHECK(l.evaluation_encoder.trace_tau_ms == c.encoder.trace_tau_ms);
    // Given values win over derived ones.
    c.rate.learning_rate = 0.2;
    c.rate.temperature = 0.5;
    c.rate.feature_temperature = 0.7;
    c.rate.epochs = 2;
    l = lower(c);
    CHECK(l.rate_network.layer.learning_rate == 0.2);
    CHECK(l.rate_network.layer.temperature == 0.5);
    CHECK(l.rate_network.feature_temperature == 0.7);
    CHECK(l.rate_epochs == 2);
    // A LIF population has no output rate to derive the step from.
    c.rate.learning_rate = 0.0;
    c.population.kind = WtaKind::lif;
    CHECK(lower(c).rate_network.layer.learning_rate == 0.0);
    CHECK_THROWS_WITH_AS(require_rate_form(c), doctest::Contains("rate.learning_rate"), ConfigError);
}

TEST_CASE("readout.l2_candidates is a list of non-negative numbers and round-trips") {
    const Config c =
        parse_config(json{{"readout", {{"l2_candidates", {1e-4, 1e-3}}, {"validation_fraction", 0.2}}}}, "t.json");
    CHECK(c.readout.l2_candidates == std::vector<double>{1e-4, 1e-3});
    CHECK(config_to_json(c)["readout"]["l2_candidates"] == json({1e-4, 1e-3}));
    CHECK(parse_config(config_to_json(c), "again").readout.l2_candidates == c.readout.l2_candidates);
    CHECK(error_of(json{{"readout", {{"l2_candidates", {1e-4, -1}}}}}).find("readout.l2_candidates[1]") !=
          std::string::npos);
    CHECK(error_of(json{{"readout", {{"l2_candidates", "1e-4"}}}}).find("readout.l2_candidates") != std::string::npos);
    CHECK(error_of(json{{"readout", {{"validation_fraction", 0.9}}}}).find("readout.validation_fraction") !=
          std::string::npos);
}

TEST_CASE("readout.solver adam takes a dropout, and the other solvers refuse one") {
    const Config c = parse_config(json{{"readout", {{"solver", "adam"}, {"dropout", 0.5}}}}, "t.json");
    CHECK(c.readout.solver == ReadoutSolver::adam);
    CHECK(c.readout.dropout == 0.5);
    CHECK(parse_config(config_to_json(c), "again").readout.dropout == 0.5);
    const std::string other = error_of(json{{"readout", {{"solver", "lbfgs"}, {"dropout", 0.5}}}});
    CHECK(other.find("readout.dropout") != std::string::npos);
    CHECK(other.find("solver is adam") != std::string::npos);
    CHECK(error_of(json{{"readout", {{"solver", "adam"}, {"dropout", 1.0}}}}).find("readout.dropout") !=
          std::string::npos);
    CHECK(error_of(json{{"readout", {{"solver", "adamw"}}}}).find("readout.solver") != std::string::npos);
}

TEST_CASE("rate.normalise_update reaches the rate layer through the lowering") {
    Config c = parse_config(json{{"rate", {{"normalise_update", true}}}}, "t.json");
    CHECK(lower(c).rate_network.layer.normalise_update);
    CHECK(config_to_json(c)["rate"]["normalise_update"] == true);
    CHECK_FALSE(lower(Config{}).rate_network.layer.normalise_update);
}
