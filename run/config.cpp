#include "run/config.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "plasticity/rule_registry.hpp"

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

    void number_list(const std::string& key, std::vector<double>& out, double min, double max, std::size_t max_items) {
        const json* value = find(key);
        if (value == nullptr) return;
        std::ostringstream expected;
        expected << "a list of at most " << max_items << " numbers in [" << min << ", " << max << "]";
        if (!value->is_array() || value->size() > max_items) fail(name(key), expected.str(), describe(*value));
        std::vector<double> items;
        for (std::size_t i = 0; i < value->size(); ++i) {
            const json& item = (*value)[i];
            if (!item.is_number() || !std::isfinite(item.get<double>()) || item.get<double>() < min ||
                item.get<double>() > max) {
                fail(name(key) + "[" + std::to_string(i) + "]", expected.str(), describe(item));
            }
            items.push_back(item.get<double>());
        }
        out = std::move(items);
    }

    // A list of objects, each read by fields(reader, item) as a section of its own ("key[i].field").
    template <typename T, typename Fields>
    void object_list(const std::string& key, std::vector<T>& out, std::size_t max_items, Fields fields) {
        const json* value = find(key);
        if (value == nullptr) return;
        if (!value->is_array() || value->size() > max_items) {
            fail(name(key), "a list of at most " + std::to_string(max_items) + " objects", describe(*value));
        }
        std::vector<T> items;
        for (std::size_t i = 0; i < value->size(); ++i) {
            ObjectReader item((*value)[i], name(key) + "[" + std::to_string(i) + "]", source_);
            T t;
            fields(item, t);
            item.finish();
            items.push_back(std::move(t));
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

    // A list of at most `max_items` names, each one of `options`, without repeats.
    template <typename Enum>
    void choice_list(const std::string& key, std::vector<Enum>& out,
                     const std::vector<std::pair<std::string, Enum>>& options, std::size_t max_items) {
        const json* value = find(key);
        if (value == nullptr) return;
        std::string names;
        for (const auto& [text, e] : options) names += " \"" + text + "\"";
        if (!value->is_array() || value->size() > max_items) {
            fail(name(key), "a list of at most " + std::to_string(max_items) + " of" + names, describe(*value));
        }
        std::vector<Enum> items;
        for (std::size_t i = 0; i < value->size(); ++i) {
            const json& item = (*value)[i];
            const auto match = std::find_if(options.begin(), options.end(), [&](const auto& option) {
                return item.is_string() && item.get<std::string>() == option.first;
            });
            if (match == options.end())
                fail(name(key) + "[" + std::to_string(i) + "]", "one of" + names, describe(item));
            if (std::find(items.begin(), items.end(), match->second) != items.end()) {
                fail(name(key) + "[" + std::to_string(i) + "]", "each name once", describe(item));
            }
            items.push_back(match->second);
        }
        out = std::move(items);
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
constexpr std::uint64_t kU32 = std::numeric_limits<std::uint32_t>::max();

// The same calls as ObjectReader, writing each field into a JSON object instead: with the field lists below
// it makes config_to_json, so that no key is listed twice.
class ObjectWriter {
public:
    explicit ObjectWriter(json& object) : object_(object) { object_ = json::object(); }

    ObjectWriter child(const std::string& key) { return ObjectWriter(object_[key]); }
    void number(const std::string& key, const double& v, double, double, bool = false) { object_[key] = v; }
    template <typename Integer>
    void integer(const std::string& key, const Integer& v, std::uint64_t, std::uint64_t) {
        object_[key] = v;
    }
    template <typename Integer>
    void integer_list(const std::string& key, const std::vector<Integer>& v, std::uint64_t, std::uint64_t,
                      std::size_t) {
        object_[key] = v;
    }
    void number_list(const std::string& key, const std::vector<double>& v, double, double, std::size_t) {
        object_[key] = v;
    }
    template <typename T, typename Fields>
    void object_list(const std::string& key, const std::vector<T>& v, std::size_t, Fields fields) {
        json list = json::array();
        for (const T& t : v) {
            json item;
            ObjectWriter writer(item);
            fields(writer, t);
            list.push_back(std::move(item));
        }
        object_[key] = std::move(list);
    }
    void boolean(const std::string& key, const bool& v) { object_[key] = v; }
    void string(const std::string& key, const std::string& v, bool = false) { object_[key] = v; }
    template <typename Value>
    void choice(const std::string& key, const Value& v, const std::vector<std::pair<std::string, Value>>& options) {
        for (const auto& [text, option] : options) {
            if (option == v) {
                object_[key] = text;
                return;
            }
        }
        object_[key] = nullptr;  // unreachable for a value that was read: parse_config accepts only options
    }
    template <typename Value>
    void choice_list(const std::string& key, const std::vector<Value>& v,
                     const std::vector<std::pair<std::string, Value>>& options, std::size_t) {
        json list = json::array();
        for (const Value& item : v) {
            for (const auto& [text, option] : options) {
                if (option == item) list.push_back(text);
            }
        }
        object_[key] = std::move(list);
    }
    void finish() const {}

private:
    json& object_;
};

// The names of every enumerated key, one table each, for reading and writing alike.
const std::vector<std::pair<std::string, DataFormat>> kDataFormats = {
    {"idx", DataFormat::idx}, {"cifar10", DataFormat::cifar10}, {"stl10", DataFormat::stl10}};
const std::vector<std::pair<std::string, EncoderKind>> kEncoderKinds = {
    {"poisson", EncoderKind::poisson}, {"latency", EncoderKind::latency}, {"fixed_count", EncoderKind::fixed_count}};
const std::vector<std::pair<std::string, WtaKind>> kWtaKinds = {{"stochastic", WtaKind::stochastic},
                                                                {"lif", WtaKind::lif}};
const std::vector<std::pair<std::string, LearningRateSchedule>> kSchedules = {
    {"constant", LearningRateSchedule::constant},
    {"linear", LearningRateSchedule::linear},
    {"cosine", LearningRateSchedule::cosine}};
const std::vector<std::pair<std::string, EvaluationSignal>> kSignals = {
    {"spike_counts", EvaluationSignal::spike_counts}, {"drive", EvaluationSignal::drive}};
const std::vector<std::pair<std::string, bool>> kSampling = {{"random", false}, {"low_discrepancy", true}};
const std::vector<std::pair<std::string, ReadoutSolver>> kSolvers = {
    {"sgd", ReadoutSolver::sgd}, {"lbfgs", ReadoutSolver::lbfgs}, {"adam", ReadoutSolver::adam}};
const std::vector<std::pair<std::string, RateFeatures>> kFeatures = {{"softmax", RateFeatures::softmax},
                                                                     {"triangle", RateFeatures::triangle}};

// The plasticity rules' names come from their registry.
std::vector<std::pair<std::string, std::string>> rule_options() {
    std::vector<std::pair<std::string, std::string>> options;
    for (const RuleEntry& entry : plasticity_rules()) options.emplace_back(entry.name, std::string(entry.name));
    return options;
}

// One field list per section: key, member, accepted range. `V` is ObjectReader (parse_config) or ObjectWriter
// (config_to_json); `P` is the section's struct, const for writing.
template <typename V, typename P>
void data_fields(V& v, P& p) {
    v.string("dir", p.dir);
    v.choice("format", p.format, kDataFormats);
    v.integer("train_images", p.train_images, 0, 100000000);
    v.integer("test_images", p.test_images, 0, 100000000);
    v.integer("validation_images", p.validation_images, 0, 100000000);
}

template <typename V, typename P>
void encoder_fields(V& v, P& p) {
    v.choice("kind", p.kind, kEncoderKinds);
    v.number("presentation_ms", p.presentation_ms, 0.0, 1e5, true);
    v.number("max_rate_hz", p.max_rate_hz, 0.0, 1e5, true);
    v.number("latency_threshold", p.latency_threshold, 0.0, 0.999);
    v.number("trace_tau_ms", p.trace_tau_ms, 0.0, 1e6, true);
    v.boolean("on_off", p.on_off);
    v.integer("spikes_per_image", p.spikes_per_image, 1, 10000000);
}

template <typename V, typename P>
void population_fields(V& v, P& p) {
    v.integer("neurons", p.neurons, 1, 1000000);
    v.choice("kind", p.kind, kWtaKinds);
    v.number("synaptic_delay_ms", p.synaptic_delay_ms, 0.0, 1e4);
    v.number("temperature", p.temperature, 0.0, 1e6, true);
    v.number("output_rate_hz", p.output_rate_hz, 0.0, 1e7);
    v.number("onset_ms", p.onset_ms, 0.0, 1e5);
    v.number("threshold", p.threshold, 0.0, kHuge, true);
    v.number("inhibition", p.inhibition, 0.0, kHuge);
    v.number("inhibition_delay_ms", p.inhibition_delay_ms, 0.0, 1e4);
    v.boolean("escape_noise", p.escape_noise);
    v.number("hazard_step_ms", p.hazard_step_ms, 0.001, 1e3);
    v.number("homeostasis_rate", p.homeostasis_rate, 0.0, kHuge);
}

const std::vector<std::pair<std::string, Padding>> kPaddings = {{"zero", Padding::zero}, {"reflect", Padding::reflect}};
const std::vector<std::pair<std::string, PoolKind>> kPoolKinds = {
    {"none", PoolKind::none}, {"max", PoolKind::max}, {"average", PoolKind::average}};
const std::vector<std::pair<std::string, DeepTraining>> kDeepTrainings = {
    {"layer_by_layer", DeepTraining::layer_by_layer}, {"all_at_once", DeepTraining::all_at_once}};

const std::vector<std::pair<std::string, DeepForm>> kDeepForms = {{"rate", DeepForm::rate},
                                                                  {"spiking", DeepForm::spiking}};

const std::vector<std::pair<std::string, DeepSpikingNetwork::Features>> kSpikingFeatures = {
    {"activation", DeepSpikingNetwork::Features::activation}, {"spikes", DeepSpikingNetwork::Features::spikes}};

const std::vector<std::pair<std::string, Competition>> kCompetitions = {{"stochastic", Competition::stochastic},
                                                                       {"lif", Competition::lif}};

const std::vector<std::pair<std::string, LayerKind>> kLayerKinds = {{"conv", LayerKind::conv},
                                                                    {"dense", LayerKind::dense}};

template <typename V, typename P>
void conv_layer_fields(V& v, P& p) {
    v.choice("kind", p.kind, kLayerKinds);
    v.integer("filters", p.filters, 1, 100000);
    v.integer("kernel", p.kernel, 1, 1000);
    v.integer("stride", p.stride, 1, 1000);
    v.integer("padding", p.padding, 0, 1000);
    v.choice("padding_mode", p.padding_mode, kPaddings);
    v.boolean("batch_norm", p.batch_norm);
    v.number("triangle_power", p.triangle_power, 0.0, 100.0, true);
    v.number("temperature", p.learning.temperature, 0.0, 1e6, true);
    v.number("learning_rate", p.learning.learning_rate, 0.0, 1e3);
    v.boolean("anti_hebbian", p.learning.anti_hebbian);
    v.boolean("normalise_update", p.learning.normalise_update);
    v.number("adaptive_power", p.learning.adaptive_power, 0.0, 10.0);
    v.number("init_radius", p.init_radius, 0.0, 1e6, true);
    v.integer("learning_top_k", p.learning.learning_top_k, 0, 100000);
    v.number("prune_fraction", p.prune_fraction, 0.0, 0.999);
    v.number("spikes_per_unit", p.spikes_per_unit, 0.0, 1e4, true);
    v.integer("learning_spikes", p.learning_spikes, 1, 100000);
    auto pool = v.child("pool");
    pool.choice("kind", p.pool.kind, kPoolKinds);
    pool.integer("size", p.pool.size, 1, 1000);
    pool.integer("stride", p.pool.stride, 1, 1000);
    pool.integer("padding", p.pool.padding, 0, 1000);
    pool.finish();
}

template <typename V, typename P>
void network_fields(V& v, P& p) {
    v.object_list("layers", p.layers, 64, [](auto& item, auto& layer) { conv_layer_fields(item, layer); });
    v.choice("training", p.training, kDeepTrainings);
    v.integer("batch", p.batch, 1, 100000);
    v.integer("epochs", p.epochs, 1, 1000);
    v.choice("form", p.form, kDeepForms);
    v.number("input_spikes_per_pixel", p.input_spikes_per_pixel, 0.0, 1e4, true);
    v.integer("calibration_images", p.calibration_images, 1, 10000000);
    v.choice("spiking_features", p.spiking_features, kSpikingFeatures);
    v.boolean("spiking_batch_norm", p.spiking_batch_norm);
    v.integer("feature_draws", p.feature_draws, 1, 64);
    v.choice("competition", p.competition, kCompetitions);
    v.number("lif_window_ms", p.lif_window_ms, 0.0, 1e6, true);
    v.number("lif_inhibition_tau_ms", p.lif_inhibition_tau_ms, 0.0, 1e6, true);
    v.number("lif_loop_gain", p.lif_loop_gain, 0.0, 1e4, true);
}

template <typename V, typename P>
void plasticity_fields(V& v, P& p) {
    v.choice("rule", p.rule, rule_options());
    v.number("learning_rate", p.learning_rate, 0.0, 1.0);
    v.number("initial_weight_norm", p.initial_weight_norm, 0.0, 1e6, true);
    v.number("adaptive_power", p.adaptive_power, 0.0, 10.0);
    v.number("norm_target", p.norm_target, 0.0, 1e6, true);
    v.boolean("anti_hebbian", p.anti_hebbian);
    v.boolean("normalise_update", p.normalise_update);
    v.number("stdp_depression", p.stdp_depression, 0.0, 1e3);
    v.number("stdp_tau_ms", p.stdp_tau_ms, 0.0, 1e6, true);
    v.number("weight_min", p.weight_min, -kHuge, kHuge);
    v.number("weight_max", p.weight_max, -kHuge, kHuge);
}

template <typename V, typename P>
void training_fields(V& v, P& p) {
    v.integer("epochs", p.epochs, 0, 10000);
    v.boolean("shuffle", p.shuffle);
    v.integer("checkpoint_every", p.checkpoint_every, 0, kU32);
    v.choice("learning_rate_schedule", p.learning_rate_schedule, kSchedules);
    v.number("final_learning_rate", p.final_learning_rate, 0.0, 1.0);
}

template <typename V, typename P>
void evaluation_fields(V& v, P& p) {
    v.number("output_rate_hz", p.output_rate_hz, 0.0, 1e7);
    v.number("temperature", p.temperature, 0.0, 1e6, true);
    v.choice("sampling", p.low_discrepancy, kSampling);
    v.integer("spikes_per_image", p.spikes_per_image, 0, 10000000);
    v.choice("signal", p.signal, kSignals);
    v.number("trace_tau_ms", p.trace_tau_ms, 0.0, 1e6);
    v.choice("drive_features", p.drive_features, kFeatures);
}

template <typename V, typename P>
void readout_fields(V& v, P& p) {
    v.integer("epochs", p.epochs, 1, 100000);
    v.number("learning_rate", p.learning_rate, 0.0, kHuge, true);
    v.number("l2", p.l2, 0.0, kHuge);
    v.integer("batch", p.batch, 1, 1000000);
    v.choice("solver", p.solver, kSolvers);
    v.integer("max_iterations", p.max_iterations, 1, 1000000);
    v.number_list("l2_candidates", p.l2_candidates, 0.0, kHuge, 16);
    v.number("validation_fraction", p.validation_fraction, 0.0, 0.5, true);
    v.number("dropout", p.dropout, 0.0, 0.99);
}

template <typename V, typename P>
void rate_fields(V& v, P& p) {
    v.integer_list("hidden_layers", p.hidden_layers, 1, 100000, 16);
    v.integer("batch", p.batch, 1, 100000);
    v.integer("epochs", p.epochs, 0, 10000);
    v.number("learning_rate", p.learning_rate, 0.0, 100.0);
    v.number("temperature", p.temperature, 0.0, 1e6);
    v.boolean("anti_hebbian", p.anti_hebbian);
    v.boolean("normalise_update", p.normalise_update);
    v.boolean("learn_biases", p.learn_biases);
    v.number("bias_learning_rate", p.bias_learning_rate, 0.0, 100.0);
    v.choice("features", p.features, kFeatures);
    v.number("feature_temperature", p.feature_temperature, 0.0, 1e6);
}

template <typename V, typename P>
void compare_fields(V& v, P& p) {
    v.integer_list("spike_budgets", p.spike_budgets, 0, kU32, 64);
    v.integer_list("input_spikes", p.input_spikes, 0, 10000000, 64);
    v.integer_list("output_draws", p.output_draws, 0, 10000000, 64);
    v.boolean("transfer", p.transfer);
    v.number_list("deep_budgets", p.deep_budgets, 1e-6, 1e4, 16);
}

const std::vector<std::pair<std::string, AttackKind>> kAttacks = {{"fgsm", AttackKind::fgsm}, {"pgd", AttackKind::pgd}};

template <typename V, typename P>
void robustness_fields(V& v, P& p) {
    v.number_list("noise_sigmas", p.noise_sigmas, 0.0, 10.0, 32);
    v.number_list("epsilons", p.epsilons, 0.0, 1.0, 32);
    v.choice_list("attacks", p.attacks, kAttacks, 2);
    v.integer("pgd_steps", p.pgd_steps, 1, 1000);
    v.number("pgd_step_fraction", p.pgd_step_fraction, 0.0, 1.0, true);
    v.boolean("spiking", p.spiking);
    v.integer("baseline_epochs", p.baseline.epochs, 1, 1000);
    v.number("baseline_learning_rate", p.baseline.learning_rate, 0.0, 1.0, true);
    v.integer("baseline_batch", p.baseline.batch, 1, 100000);
    v.number("baseline_validation_fraction", p.baseline_validation_fraction, 0.0, 0.5);
    v.integer("grid_images", p.grid_images, 0, 64);
    v.integer_list("training_sizes", p.training_sizes, 1, 100000000, 32);
}

template <typename V, typename P>
void chip_fields(V& v, P& p) {
    v.integer("weight_bits", p.weight_bits, 2, 32);
    v.number("weight_range", p.weight_range, 0.0, 1e6, true);
    v.boolean("stochastic_rounding", p.stochastic_rounding);
    v.number("weight_noise", p.weight_noise, 0.0, 100.0);
    v.number("input_noise", p.input_noise, 0.0, 100.0);
    v.number("dead_synapses", p.dead_synapses, 0.0, 1.0);
    v.integer("spike_budget", p.spike_budget, 0, kU32);
    v.number("plasticity_window_ms", p.plasticity_window_ms, 0.0, 1e5);
}

template <typename V, typename P>
void output_fields(V& v, P& p) {
    v.string("dir", p.dir);
    v.integer("raster_samples", p.raster_samples, 0, 1000);
}

// The whole config: top-level keys, then each section through its field list. A section's unknown keys are
// reported once its own keys are read.
template <typename V, typename C>
void config_fields(V& root, C& c) {
    // Empty is what a config without a description is written back as (config_to_json), so it must read.
    root.string("description", c.description, true);
    root.integer("seed", c.seed, 0, std::numeric_limits<std::uint64_t>::max());
    root.integer("threads", c.threads, 0, 1024);
    const auto section = [&root](const std::string& key, auto& params, auto fields) {
        auto v = root.child(key);
        fields(v, params);
        v.finish();
    };
    section("data", c.data, [](auto& v, auto& p) { data_fields(v, p); });
    section("encoder", c.encoder, [](auto& v, auto& p) { encoder_fields(v, p); });
    section("population", c.population, [](auto& v, auto& p) { population_fields(v, p); });
    section("plasticity", c.plasticity, [](auto& v, auto& p) { plasticity_fields(v, p); });
    section("training", c.training, [](auto& v, auto& p) { training_fields(v, p); });
    section("evaluation", c.evaluation, [](auto& v, auto& p) { evaluation_fields(v, p); });
    section("readout", c.readout, [](auto& v, auto& p) { readout_fields(v, p); });
    section("rate", c.rate, [](auto& v, auto& p) { rate_fields(v, p); });
    section("compare", c.compare, [](auto& v, auto& p) { compare_fields(v, p); });
    section("robustness", c.robustness, [](auto& v, auto& p) { robustness_fields(v, p); });
    section("chip", c.chip, [](auto& v, auto& p) { chip_fields(v, p); });
    section("network", c.network, [](auto& v, auto& p) { network_fields(v, p); });
    section("output", c.output, [](auto& v, auto& p) { output_fields(v, p); });
}

// What no single key can say: limits that involve two keys, and each rule's own check of its parameters.
void check_relations(const Config& c, const ObjectReader& r) {
    if (c.encoder.presentation_ms / c.encoder.trace_tau_ms > 40.0) {
        r.fail("encoder.presentation_ms",
               "at most 40 x encoder.trace_tau_ms (" + std::to_string(40.0 * c.encoder.trace_tau_ms) +
                   ") so that scaled traces stay finite in float",
               std::to_string(c.encoder.presentation_ms));
    }
    if (c.evaluation.trace_tau_ms > 0.0 && c.encoder.presentation_ms / c.evaluation.trace_tau_ms > 40.0) {
        r.fail("evaluation.trace_tau_ms",
               "0 or at least encoder.presentation_ms / 40 (" + std::to_string(c.encoder.presentation_ms / 40.0) +
                   ") so that scaled traces stay finite in float",
               std::to_string(c.evaluation.trace_tau_ms));
    }
    if (c.plasticity.anti_hebbian && c.chip.plasticity_window_ms > 0.0) {
        r.fail("plasticity.anti_hebbian",
               "false when chip.plasticity_window_ms batches the updates (a batched update has no one spiker to "
               "compare with the most driven neuron)",
               "true");
    }
    if (c.population.escape_noise && c.population.kind != WtaKind::lif) {
        r.fail("population.escape_noise", "false unless population.kind is lif (the stochastic form has no threshold)",
               "true");
    }
    if (c.readout.dropout > 0.0 && c.readout.solver != ReadoutSolver::adam) {
        r.fail("readout.dropout", "0 unless readout.solver is adam (the other solvers do not drop inputs)",
               std::to_string(c.readout.dropout));
    }
    if (c.population.onset_ms >= c.encoder.presentation_ms) {
        r.fail("population.onset_ms",
               "less than encoder.presentation_ms (" + std::to_string(c.encoder.presentation_ms) + ")",
               std::to_string(c.population.onset_ms));
    }
    if (const RuleEntry* rule = find_rule(c.plasticity.rule)) {
        if (const auto problem = rule->check(c.plasticity)) {
            r.fail("plasticity." + problem->key, problem->expected, problem->found);
        }
    }
    if (c.chip.weight_bits > 16 && c.chip.weight_bits != 32) {
        r.fail("chip.weight_bits", "2 to 16 (fixed point) or 32 (float32)", std::to_string(c.chip.weight_bits));
    }
}

}  // namespace

void apply_override(nlohmann::json& document, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw ConfigError("--set '" + assignment + "': expected key.path=value");
    }
    const std::string key = assignment.substr(0, eq);
    const std::string text = assignment.substr(eq + 1);
    json value;
    try {
        value = json::parse(text);
    } catch (const json::parse_error&) {
        value = text;  // a bare word such as lif or poisson
    } catch (const json::exception& e) {
        throw ConfigError("--set '" + assignment + "': the value is not a number a config can hold: " + e.what());
    }
    json* node = &document;
    std::size_t start = 0;
    for (;;) {
        const auto dot = key.find('.', start);
        std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty()) throw ConfigError("--set '" + assignment + "': empty component in key '" + key + "'");
        if (!node->is_object())
            throw ConfigError("--set '" + assignment + "': '" + key.substr(0, start - 1) + "' is not an object");
        // "name[i]": item i of an existing list (network.layers[1].temperature).
        std::optional<std::size_t> index;
        if (const auto open = part.find('['); open != std::string::npos && part.back() == ']') {
            const std::string digits = part.substr(open + 1, part.size() - open - 2);
            if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 6) {
                throw ConfigError("--set '" + assignment + "': expected a list index in '" + part + "'");
            }
            index = std::stoul(digits);
            part = part.substr(0, open);
        }
        json* child = &(*node)[part];
        if (index) {
            if (!child->is_array() || *index >= child->size()) {
                throw ConfigError("--set '" + assignment + "': '" + part + "' has no item " + std::to_string(*index) +
                                  " (" + (child->is_array() ? std::to_string(child->size()) + " items" : "not a list") +
                                  " in the config)");
            }
            child = &(*child)[*index];
        }
        if (dot == std::string::npos) {
            *child = value;
            return;
        }
        node = child;
        if (node->is_null()) *node = json::object();
        start = dot + 1;
    }
}

Config parse_config(const nlohmann::json& document, const std::string& source) {
    Config c;
    ObjectReader root(document, "", source);
    config_fields(root, c);
    root.finish();
    check_relations(c, root);
    return c;
}

nlohmann::json config_to_json(const Config& c) {
    json j;
    ObjectWriter root(j);
    config_fields(root, c);
    return j;
}

}  // namespace softspike
