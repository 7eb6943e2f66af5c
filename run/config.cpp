#include "run/config.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>

#include "core/errors.hpp"

namespace softspike {

namespace {

using nlohmann::json;

std::string describe(const json& value) {
    std::string text = value.dump();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return std::string(value.type_name()) + " " + text;
}

// Reads one JSON object, remembering which keys were used, so that leftovers are reported as unknown.
class ObjectReader {
public:
    ObjectReader(const json& object, std::string path, const std::string& source)
        : object_(object), path_(std::move(path)), source_(source) {
        if (!object_.is_object()) fail(path_.empty() ? "(top level)" : path_, "an object", describe(object_));
    }

    ObjectReader child(const std::string& key) {
        seen_.insert(key);
        static const json empty = json::object();
        const auto it = object_.find(key);
        return {it == object_.end() ? empty : *it, name(key), source_};
    }

    void number(const std::string& key, double& out, double min, double max, bool min_exclusive = false) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_number()) fail(name(key), "a number", describe(*value));
        const double v = value->get<double>();
        const bool below = min_exclusive ? !(v > min) : !(v >= min);
        if (!std::isfinite(v) || below || !(v <= max)) {
            std::ostringstream range;
            range << "a number in " << (min_exclusive ? "(" : "[") << min << ", " << max << "]";
            fail(name(key), range.str(), describe(*value));
        }
        out = v;
    }

    template <typename Integer>
    void integer(const std::string& key, Integer& out, std::uint64_t min, std::uint64_t max) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_number_integer() ||
            (value->is_number_integer() && !value->is_number_unsigned() && value->get<std::int64_t>() < 0)) {
            if (!value->is_number_integer()) fail(name(key), "a whole number", describe(*value));
            fail(name(key), "a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]",
                 describe(*value));
        }
        const auto v = value->get<std::uint64_t>();
        if (v < min || v > max) {
            fail(name(key), "a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]",
                 describe(*value));
        }
        out = static_cast<Integer>(v);
    }

    template <typename Integer>
    void integer_list(const std::string& key, std::vector<Integer>& out, std::uint64_t min, std::uint64_t max,
                      std::size_t max_items) {
        const json* value = find(key);
        if (value == nullptr) return;
        const std::string expected = "a list of at most " + std::to_string(max_items) + " whole numbers in [" +
                                     std::to_string(min) + ", " + std::to_string(max) + "]";
        if (!value->is_array() || value->size() > max_items) fail(name(key), expected, describe(*value));
        std::vector<Integer> items;
        for (std::size_t i = 0; i < value->size(); ++i) {
            const json& item = (*value)[i];
            if (!item.is_number_unsigned() || item.get<std::uint64_t>() < min || item.get<std::uint64_t>() > max) {
                fail(name(key) + "[" + std::to_string(i) + "]", expected, describe(item));
            }
            items.push_back(static_cast<Integer>(item.get<std::uint64_t>()));
        }
        out = std::move(items);
    }

    void boolean(const std::string& key, bool& out) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_boolean()) fail(name(key), "true or false", describe(*value));
        out = value->get<bool>();
    }

    void string(const std::string& key, std::string& out, bool may_be_empty = false) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_string() || (!may_be_empty && value->get<std::string>().empty()))
            fail(name(key), may_be_empty ? "a string" : "a non-empty string", describe(*value));
        out = value->get<std::string>();
    }

    template <typename Enum>
    void choice(const std::string& key, Enum& out, const std::vector<std::pair<std::string, Enum>>& options) {
        const json* value = find(key);
        if (value == nullptr) return;
        std::string expected = "one of";
        for (const auto& [text, e] : options) {
            expected += " \"" + text + "\"";
            if (value->is_string() && value->get<std::string>() == text) {
                out = e;
                return;
            }
        }
        fail(name(key), expected, describe(*value));
    }

    // Every key of the object must have been read.
    void finish() const {
        for (const auto& [key, value] : object_.items()) {
            if (seen_.count(key) == 0) {
                std::string known;
                for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
                throw ConfigError(source_ + ": unknown key '" + name(key) + "' (known keys here: " + known + ")");
            }
        }
    }

    [[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& found) const {
        throw ConfigError(source_ + ": key '" + key + "': expected " + expected + ", found " + found);
    }

    [[nodiscard]] std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

private:
    const json* find(const std::string& key) {
        seen_.insert(key);
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

    const json& object_;
    std::string path_;
    const std::string& source_;
    std::set<std::string> seen_;
};

constexpr double kHuge = 1e9;

}  // namespace

Config parse_config(const nlohmann::json& document, const std::string& source) {
    Config c;
    ObjectReader root(document, "", source);
    // Empty is what a config without a description is written back as (config_to_json), so it must read.
    root.string("description", c.description, true);
    root.integer("seed", c.seed, 0, std::numeric_limits<std::uint64_t>::max());
    root.integer("threads", c.threads, 0, 1024);
    {
        auto r = root.child("data");
        r.string("dir", c.data.dir);
        r.integer("train_images", c.data.train_images, 0, 100000000);
        r.integer("test_images", c.data.test_images, 0, 100000000);
        r.finish();
    }
    {
        auto r = root.child("encoder");
        r.choice("kind", c.encoder.kind, {{"poisson", EncoderKind::poisson}, {"latency", EncoderKind::latency}});
        r.number("presentation_ms", c.encoder.presentation_ms, 0.0, 1e5, true);
        r.number("max_rate_hz", c.encoder.max_rate_hz, 0.0, 1e5, true);
        r.number("latency_threshold", c.encoder.latency_threshold, 0.0, 0.999);
        r.number("trace_tau_ms", c.encoder.trace_tau_ms, 0.0, 1e6, true);
        r.boolean("on_off", c.encoder.on_off);
        if (c.encoder.presentation_ms / c.encoder.trace_tau_ms > 40.0) {
            r.fail("encoder.presentation_ms",
                   "at most 40 x encoder.trace_tau_ms (" + std::to_string(40.0 * c.encoder.trace_tau_ms) +
                       ") so that scaled traces stay finite in float",
                   std::to_string(c.encoder.presentation_ms));
        }
        r.finish();
    }
    {
        auto r = root.child("population");
        r.integer("neurons", c.population.neurons, 1, 1000000);
        r.choice("kind", c.population.kind, {{"stochastic", WtaKind::stochastic}, {"lif", WtaKind::lif}});
        r.number("synaptic_delay_ms", c.population.synaptic_delay_ms, 0.0, 1e4);
        r.number("temperature", c.population.temperature, 0.0, 1e6, true);
        r.number("output_rate_hz", c.population.output_rate_hz, 0.0, 1e7);
        r.number("onset_ms", c.population.onset_ms, 0.0, 1e5);
        r.number("threshold", c.population.threshold, 0.0, kHuge, true);
        r.number("inhibition", c.population.inhibition, 0.0, kHuge);
        r.number("inhibition_delay_ms", c.population.inhibition_delay_ms, 0.0, 1e4);
        r.number("homeostasis_rate", c.population.homeostasis_rate, 0.0, kHuge);
        if (c.population.onset_ms >= c.encoder.presentation_ms) {
            r.fail("population.onset_ms",
                   "less than encoder.presentation_ms (" + std::to_string(c.encoder.presentation_ms) + ")",
                   std::to_string(c.population.onset_ms));
        }
        r.finish();
    }
    {
        auto r = root.child("plasticity");
        r.choice("rule", c.plasticity.rule,
                 {{"softhebb", std::string("softhebb")},
                  {"hebb", std::string("hebb")},
                  {"oja", std::string("oja")},
                  {"instar", std::string("instar")},
                  {"stdp", std::string("stdp")}});
        r.number("learning_rate", c.plasticity.learning_rate, 0.0, 1.0);
        r.number("initial_weight_norm", c.plasticity.initial_weight_norm, 0.0, 1e6, true);
        r.number("adaptive_power", c.plasticity.adaptive_power, 0.0, 10.0);
        r.number("stdp_depression", c.plasticity.stdp_depression, 0.0, 1e3);
        r.number("stdp_tau_ms", c.plasticity.stdp_tau_ms, 0.0, 1e6, true);
        r.number("weight_min", c.plasticity.weight_min, -kHuge, kHuge);
        r.number("weight_max", c.plasticity.weight_max, -kHuge, kHuge);
        if (c.plasticity.adaptive_power > 0.0 && c.plasticity.rule != "softhebb") {
            r.fail("plasticity.adaptive_power", "0 unless plasticity.rule is \"softhebb\" (the adaptive rate is SoftHebb's)",
                   std::to_string(c.plasticity.adaptive_power));
        }
        if (!(c.plasticity.weight_min < c.plasticity.weight_max)) {
            r.fail("plasticity.weight_max",
                   "greater than plasticity.weight_min (" + std::to_string(c.plasticity.weight_min) + ")",
                   std::to_string(c.plasticity.weight_max));
        }
        r.finish();
    }
    {
        auto r = root.child("training");
        r.integer("epochs", c.training.epochs, 0, 10000);
        r.boolean("shuffle", c.training.shuffle);
        r.integer("checkpoint_every", c.training.checkpoint_every, 0, std::numeric_limits<std::uint32_t>::max());
        r.choice("learning_rate_schedule", c.training.learning_rate_schedule,
                 {{"constant", LearningRateSchedule::constant},
                  {"linear", LearningRateSchedule::linear},
                  {"cosine", LearningRateSchedule::cosine}});
        r.number("final_learning_rate", c.training.final_learning_rate, 0.0, 1.0);
        r.finish();
    }
    {
        auto r = root.child("evaluation");
        r.number("output_rate_hz", c.evaluation.output_rate_hz, 0.0, 1e7);
        r.number("temperature", c.evaluation.temperature, 0.0, 1e6, true);
        r.choice("sampling", c.evaluation.low_discrepancy, {{"random", false}, {"low_discrepancy", true}});
        r.finish();
    }
    {
        auto r = root.child("readout");
        r.integer("epochs", c.readout.epochs, 1, 100000);
        r.number("learning_rate", c.readout.learning_rate, 0.0, kHuge, true);
        r.number("l2", c.readout.l2, 0.0, kHuge);
        r.integer("batch", c.readout.batch, 1, 1000000);
        r.choice("solver", c.readout.solver, {{"sgd", ReadoutSolver::sgd}, {"lbfgs", ReadoutSolver::lbfgs}});
        r.integer("max_iterations", c.readout.max_iterations, 1, 1000000);
        r.finish();
    }
    {
        auto r = root.child("rate");
        r.integer_list("hidden_layers", c.rate.hidden_layers, 1, 100000, 16);
        r.integer("batch", c.rate.batch, 1, 100000);
        r.integer("epochs", c.rate.epochs, 0, 10000);
        r.number("learning_rate", c.rate.learning_rate, 0.0, 100.0);
        r.number("temperature", c.rate.temperature, 0.0, 1e6);
        r.boolean("anti_hebbian", c.rate.anti_hebbian);
        r.boolean("learn_biases", c.rate.learn_biases);
        r.number("bias_learning_rate", c.rate.bias_learning_rate, 0.0, 100.0);
        r.choice("features", c.rate.features,
                 {{"softmax", RateFeatures::softmax}, {"triangle", RateFeatures::triangle}});
        r.number("feature_temperature", c.rate.feature_temperature, 0.0, 1e6);
        r.finish();
    }
    {
        auto r = root.child("compare");
        r.integer_list("spike_budgets", c.compare.spike_budgets, 0, std::numeric_limits<std::uint32_t>::max(), 64);
        r.boolean("transfer", c.compare.transfer);
        r.finish();
    }
    {
        auto r = root.child("chip");
        r.integer("weight_bits", c.chip.weight_bits, 2, 32);
        if (c.chip.weight_bits > 16 && c.chip.weight_bits != 32) {
            r.fail("chip.weight_bits", "2 to 16 (fixed point) or 32 (float32)", std::to_string(c.chip.weight_bits));
        }
        r.number("weight_range", c.chip.weight_range, 0.0, 1e6, true);
        r.boolean("stochastic_rounding", c.chip.stochastic_rounding);
        r.number("weight_noise", c.chip.weight_noise, 0.0, 100.0);
        r.number("input_noise", c.chip.input_noise, 0.0, 100.0);
        r.number("dead_synapses", c.chip.dead_synapses, 0.0, 1.0);
        r.integer("spike_budget", c.chip.spike_budget, 0, std::numeric_limits<std::uint32_t>::max());
        r.number("plasticity_window_ms", c.chip.plasticity_window_ms, 0.0, 1e5);
        r.finish();
    }
    {
        auto r = root.child("output");
        r.string("dir", c.output.dir);
        r.integer("raster_samples", c.output.raster_samples, 0, 1000);
        r.finish();
    }
    root.finish();
    return c;
}

namespace {
std::string schedule_name(LearningRateSchedule s) {
    switch (s) {
        case LearningRateSchedule::linear:
            return "linear";
        case LearningRateSchedule::cosine:
            return "cosine";
        case LearningRateSchedule::constant:
            break;
    }
    return "constant";
}
}  // namespace

nlohmann::json config_to_json(const Config& c) {
    json j;
    j["description"] = c.description;
    j["seed"] = c.seed;
    j["threads"] = c.threads;
    j["data"] = {{"dir", c.data.dir}, {"train_images", c.data.train_images}, {"test_images", c.data.test_images}};
    j["encoder"] = {{"kind", c.encoder.kind == EncoderKind::poisson ? "poisson" : "latency"},
                    {"presentation_ms", c.encoder.presentation_ms},
                    {"max_rate_hz", c.encoder.max_rate_hz},
                    {"latency_threshold", c.encoder.latency_threshold},
                    {"trace_tau_ms", c.encoder.trace_tau_ms},
                    {"on_off", c.encoder.on_off}};
    j["population"] = {{"neurons", c.population.neurons},
                       {"kind", c.population.kind == WtaKind::stochastic ? "stochastic" : "lif"},
                       {"synaptic_delay_ms", c.population.synaptic_delay_ms},
                       {"temperature", c.population.temperature},
                       {"output_rate_hz", c.population.output_rate_hz},
                       {"onset_ms", c.population.onset_ms},
                       {"threshold", c.population.threshold},
                       {"inhibition", c.population.inhibition},
                       {"inhibition_delay_ms", c.population.inhibition_delay_ms},
                       {"homeostasis_rate", c.population.homeostasis_rate}};
    j["plasticity"] = {{"rule", c.plasticity.rule},
                       {"learning_rate", c.plasticity.learning_rate},
                       {"initial_weight_norm", c.plasticity.initial_weight_norm},
                       {"adaptive_power", c.plasticity.adaptive_power},
                       {"stdp_depression", c.plasticity.stdp_depression},
                       {"stdp_tau_ms", c.plasticity.stdp_tau_ms},
                       {"weight_min", c.plasticity.weight_min},
                       {"weight_max", c.plasticity.weight_max}};
    j["training"] = {{"epochs", c.training.epochs},
                     {"shuffle", c.training.shuffle},
                     {"checkpoint_every", c.training.checkpoint_every},
                     {"learning_rate_schedule", schedule_name(c.training.learning_rate_schedule)},
                     {"final_learning_rate", c.training.final_learning_rate}};
    j["evaluation"] = {{"output_rate_hz", c.evaluation.output_rate_hz},
                       {"temperature", c.evaluation.temperature},
                       {"sampling", c.evaluation.low_discrepancy ? "low_discrepancy" : "random"}};
    j["readout"] = {{"epochs", c.readout.epochs},
                    {"learning_rate", c.readout.learning_rate},
                    {"l2", c.readout.l2},
                    {"batch", c.readout.batch},
                    {"solver", c.readout.solver == ReadoutSolver::lbfgs ? "lbfgs" : "sgd"},
                    {"max_iterations", c.readout.max_iterations}};
    j["rate"] = {{"hidden_layers", c.rate.hidden_layers},
                 {"batch", c.rate.batch},
                 {"epochs", c.rate.epochs},
                 {"learning_rate", c.rate.learning_rate},
                 {"temperature", c.rate.temperature},
                 {"anti_hebbian", c.rate.anti_hebbian},
                 {"learn_biases", c.rate.learn_biases},
                 {"bias_learning_rate", c.rate.bias_learning_rate},
                 {"features", c.rate.features == RateFeatures::softmax ? "softmax" : "triangle"},
                 {"feature_temperature", c.rate.feature_temperature}};
    j["compare"] = {{"spike_budgets", c.compare.spike_budgets}, {"transfer", c.compare.transfer}};
    j["chip"] = {{"weight_bits", c.chip.weight_bits},
                 {"weight_range", c.chip.weight_range},
                 {"stochastic_rounding", c.chip.stochastic_rounding},
                 {"weight_noise", c.chip.weight_noise},
                 {"input_noise", c.chip.input_noise},
                 {"dead_synapses", c.chip.dead_synapses},
                 {"spike_budget", c.chip.spike_budget},
                 {"plasticity_window_ms", c.chip.plasticity_window_ms}};
    j["output"] = {{"dir", c.output.dir}, {"raster_samples", c.output.raster_samples}};
    return j;
}

}  // namespace softspike
