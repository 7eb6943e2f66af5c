#include "io/training_checkpoint.hpp"

#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "core/errors.hpp"

namespace softspike {

namespace {

constexpr std::string_view kMagic = "SSPKTRST";

using Curve = std::vector<std::pair<std::uint64_t, double>>;

void write_curve(ByteWriter& out, const Curve& curve) {
    out.put<std::uint64_t>(curve.size());
    for (const auto& [images, accuracy] : curve) {
        out.put<std::uint64_t>(images);
        out.put<double>(accuracy);
    }
}

Curve read_curve(ByteReader& in, std::string_view field) {
    const auto points = in.get<std::uint64_t>(field);
    in.expect_elements(points, 16, field);
    Curve curve;
    curve.reserve(points);
    for (std::uint64_t i = 0; i < points; ++i) {
        const auto images = in.get<std::uint64_t>(field);
        curve.emplace_back(images, in.get<double>(field));
    }
    return curve;
}

static_assert(sizeof(EventCounters) == 9 * sizeof(std::uint64_t), "a new counter must be added to the file format");

void write_counters(ByteWriter& out, const EventCounters& c) {
    for (const std::uint64_t v : {c.input_spikes, c.output_spikes, c.synaptic_events, c.effective_acs,
                                  c.effective_macs, c.membrane_updates, c.plasticity_updates, c.trace_updates,
                                  c.bias_updates}) {
        out.put(v);
    }
}

EventCounters read_counters(ByteReader& in) {
    EventCounters c;
    for (std::uint64_t* v : {&c.input_spikes, &c.output_spikes, &c.synaptic_events, &c.effective_acs,
                             &c.effective_macs, &c.membrane_updates, &c.plasticity_updates, &c.trace_updates,
                             &c.bias_updates}) {
        *v = in.get<std::uint64_t>("event counters");
    }
    return c;
}

}  // namespace

Config decode_stored_config(const std::string& text, const std::string& name) {
    try {
        return parse_config(nlohmann::json::parse(text), name + " (stored config)");
    } catch (const nlohmann::json::exception& e) {
        throw CheckpointError(name + ": the stored config at offset 12 is not valid JSON: " + e.what());
    } catch (const ConfigError& e) {
        throw CheckpointError(std::string("the stored config is invalid: ") + e.what());
    }
}

std::string encode_training_checkpoint(const Config& config, const TrainingState& state) {
    ByteWriter out = begin_framed(kMagic, training_checkpoint_format_version);
    out.put_string(config_to_json(config).dump());
    out.put<std::uint64_t>(state.images_done);
    out.put<double>(state.seconds);
    write_counters(out, state.counters);
    write_model(out, state.model);
    write_vector(out, state.rule_state);
    write_vector(out, state.online.counts);
    write_vector(out, state.online.assignment);
    out.put<std::uint64_t>(state.online.seen);
    write_vector(out, state.window_outcomes);
    write_curve(out, state.running_accuracy);
    write_vector(out, state.linear.weights);
    write_vector(out, state.linear.biases);
    write_vector(out, state.linear_window_outcomes);
    write_curve(out, state.running_accuracy_linear);
    return finish_framed(std::move(out));
}

ResumePoint decode_training_checkpoint(std::string_view bytes, const std::string& name) {
    ByteReader in = open_framed(bytes, kMagic, training_checkpoint_format_version, name);
    const std::string config_text = in.get_string("config");
    ResumePoint point;
    TrainingState& s = point.state;
    s.images_done = in.get<std::uint64_t>("images done");
    s.seconds = in.get<double>("training seconds");
    s.counters = read_counters(in);
    s.model = read_model(in);
    s.rule_state = read_vector<double>(in, "plasticity rule state");
    s.online.counts = read_vector<double>(in, "label assignment counts");
    s.online.assignment = read_vector<std::int16_t>(in, "label assignments");
    s.online.seen = in.get<std::uint64_t>("label assignment images");
    s.window_outcomes = read_vector<std::uint8_t>(in, "running accuracy window");
    s.running_accuracy = read_curve(in, "running accuracy curve");
    s.linear.weights = read_vector<double>(in, "on-line linear read-out weights");
    s.linear.biases = read_vector<double>(in, "on-line linear read-out biases");
    s.linear_window_outcomes = read_vector<std::uint8_t>(in, "linear running accuracy window");
    s.running_accuracy_linear = read_curve(in, "linear running accuracy curve");
    check_crc(bytes, in);

    // The checksum holds, so what follows are contradictions written by a different build or by hand.
    point.config = decode_stored_config(config_text, name);
    const std::size_t neurons = point.config.population.neurons;
    auto contradiction = [&](const std::string& what, std::size_t expected, std::size_t found) {
        throw CheckpointError(name + ": " + what + ": expected " + std::to_string(expected) + " for the stored " +
                              "config's " + std::to_string(neurons) + " neurons, found " + std::to_string(found));
    };
    if (s.model.weights.targets() != neurons) contradiction("model neurons", neurons, s.model.weights.targets());
    // SoftHebb keeps one running norm per neuron (adaptive rate), STDP a scaled trace per neuron and its origin.
    const std::size_t rule_entries = point.config.plasticity.rule == "stdp" ? neurons + 1 : neurons;
    if (!s.rule_state.empty() && s.rule_state.size() != rule_entries) {
        contradiction("plasticity rule state entries", rule_entries, s.rule_state.size());
    }
    if (!s.online.counts.empty() && (s.online.assignment.size() != neurons || s.online.counts.size() % neurons != 0)) {
        contradiction("label assignment entries", neurons, s.online.assignment.size());
    }
    if (!s.linear.weights.empty() &&
        (s.linear.biases.empty() || s.linear.weights.size() != neurons * s.linear.biases.size())) {
        contradiction("on-line linear read-out weights", neurons * s.linear.biases.size(), s.linear.weights.size());
    }
    return point;
}

void save_training_checkpoint(const std::filesystem::path& path, const Config& config, const TrainingState& state) {
    write_file_atomically(path, encode_training_checkpoint(config, state));
}

ResumePoint load_training_checkpoint(const std::filesystem::path& path) {
    return decode_training_checkpoint(read_checkpoint_file(path), path.string());
}

}  // namespace softspike
