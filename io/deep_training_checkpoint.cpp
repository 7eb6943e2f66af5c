#include "io/deep_training_checkpoint.hpp"

#include "core/errors.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/deep_checkpoint.hpp"
#include "io/training_checkpoint.hpp"

namespace softspike {

namespace {

constexpr std::string_view kMagic = "SSPKDTST";

static_assert(sizeof(RateCounters) == 8 * sizeof(std::uint64_t), "a new counter must be added to the file format");

void write_counters(ByteWriter& out, const RateCounters& c) {
    for (const std::uint64_t v : {c.samples, c.macs, c.effective_macs, c.plasticity_macs, c.plasticity_updates,
                                  c.bias_updates, c.outputs, c.zero_outputs}) {
        out.put(v);
    }
}

RateCounters read_counters(ByteReader& in) {
    RateCounters c;
    for (std::uint64_t* v : {&c.samples, &c.macs, &c.effective_macs, &c.plasticity_macs, &c.plasticity_updates,
                             &c.bias_updates, &c.outputs, &c.zero_outputs}) {
        *v = in.get<std::uint64_t>("block counters");
    }
    return c;
}

static_assert(sizeof(EventCounters) == 9 * sizeof(std::uint64_t), "a new counter must be added to the file format");
static_assert(sizeof(SpikingPlasticityCounters) == 4 * sizeof(std::uint64_t),
              "a new counter must be added to the file format");

std::vector<std::uint64_t*> fields(SpikingBlockCounters& c) {
    EventCounters& e = c.events;
    return {&e.input_spikes,   &e.output_spikes,    &e.synaptic_events,    &e.effective_acs,
            &e.effective_macs, &e.membrane_updates, &e.plasticity_updates, &e.trace_updates,
            &e.bias_updates,   &c.outputs,          &c.silent_outputs};
}

std::vector<std::uint64_t*> fields(SpikingPlasticityCounters& c) {
    return {&c.learning_spikes, &c.update_accumulates, &c.weight_updates, &c.batches};
}

constexpr std::size_t kSpikingBlockBytes = 15 * sizeof(std::uint64_t);

constexpr std::size_t kCounterBytes = 8 * sizeof(std::uint64_t);
constexpr std::size_t kPointBytes = 2 * sizeof(std::uint64_t) + 4 * sizeof(double);

}  // namespace

std::string encode_deep_training_checkpoint(const Config& config, const DeepTrainingState& state) {
    ByteWriter out = begin_framed(kMagic, deep_training_checkpoint_format_version);
    out.put_string(config_to_json(config).dump());
    const DeepTrainingResult& r = state.result;
    out.put<std::uint64_t>(state.stages_done);
    out.put<std::uint64_t>(r.images);
    out.put<std::uint64_t>(r.presentations);
    out.put<double>(r.seconds);
    write_vector(out, r.stage_seconds);
    out.put<std::uint64_t>(r.counters.size());
    for (const RateCounters& c : r.counters) write_counters(out, c);
    out.put<std::uint64_t>(r.curve.size());
    for (const KernelNormPoint& p : r.curve) {
        out.put<std::uint64_t>(p.block);
        out.put<std::uint64_t>(p.images);
        for (const double v : {p.mean, p.sd, p.min, p.max}) out.put(v);
    }
    out.put<std::uint8_t>(state.spiking ? 1 : 0);
    if (state.spiking) {
        DeepSpikingTrainingResult s = *state.spiking;  // a copy: fields() hands out pointers for reading and writing
        out.put<std::uint64_t>(s.forward.size());
        for (std::size_t b = 0; b < s.forward.size(); ++b) {
            for (const std::uint64_t* v : fields(s.forward[b])) out.put(*v);
            for (const std::uint64_t* v : fields(s.plasticity[b])) out.put(*v);
        }
        write_vector(out, s.quanta);
    }
    write_deep_weights(out, state.weights);
    return finish_framed(std::move(out));
}

DeepResumePoint decode_deep_training_checkpoint(std::string_view bytes, const std::string& name) {
    ByteReader in = open_framed(bytes, kMagic, deep_training_checkpoint_format_version, name);
    const std::string config_text = in.get_string("config");
    DeepResumePoint point;
    DeepTrainingState& s = point.state;
    DeepTrainingResult& r = s.result;
    s.stages_done = in.get<std::uint64_t>("stages done");
    r.images = in.get<std::uint64_t>("images");
    r.presentations = in.get<std::uint64_t>("presentations");
    r.seconds = in.get<double>("seconds");
    r.stage_seconds = read_vector<double>(in, "stage seconds");
    const auto blocks = in.get<std::uint64_t>("block count");
    in.expect_elements(blocks, kCounterBytes, "block counters");
    for (std::uint64_t b = 0; b < blocks; ++b) r.counters.push_back(read_counters(in));
    const auto points = in.get<std::uint64_t>("learning curve points");
    in.expect_elements(points, kPointBytes, "learning curve");
    r.curve.resize(points);
    for (KernelNormPoint& p : r.curve) {
        p.block = in.get<std::uint64_t>("learning curve");
        p.images = in.get<std::uint64_t>("learning curve");
        for (double* v : {&p.mean, &p.sd, &p.min, &p.max}) *v = in.get<double>("learning curve");
    }
    const auto spiking = in.get<std::uint8_t>("spiking flag");
    if (spiking > 1) throw CheckpointError(name + ": spiking flag: expected 0 or 1, found " + std::to_string(spiking));
    if (spiking == 1) {
        DeepSpikingTrainingResult sr;
        const auto spiking_blocks = in.get<std::uint64_t>("spiking block count");
        in.expect_elements(spiking_blocks, kSpikingBlockBytes, "spiking counters");
        sr.forward.resize(spiking_blocks);
        sr.plasticity.resize(spiking_blocks);
        for (std::uint64_t b = 0; b < spiking_blocks; ++b) {
            for (std::uint64_t* v : fields(sr.forward[b])) *v = in.get<std::uint64_t>("spiking counters");
            for (std::uint64_t* v : fields(sr.plasticity[b])) *v = in.get<std::uint64_t>("spiking counters");
        }
        sr.quanta = read_vector<double>(in, "spike values");
        sr.images = r.images;
        sr.presentations = r.presentations;
        sr.seconds = r.seconds;
        sr.stage_seconds = r.stage_seconds;
        sr.curve = r.curve;
        s.spiking = std::move(sr);
    }
    s.weights = read_deep_weights(in);
    check_crc(bytes, in);

    // The checksum holds, so what follows are contradictions written by a different build or by hand.
    point.config = decode_stored_config(config_text, name);
    const std::size_t depth = point.config.network.layers.size();
    const std::size_t stages = point.config.network.training == DeepTraining::layer_by_layer ? depth : 1;
    auto contradiction = [&](const std::string& what, std::size_t expected, std::size_t found) {
        throw CheckpointError(name + ": " + what + ": expected " + std::to_string(expected) + " for the stored " +
                              "config's " + std::to_string(depth) + " layers, found " + std::to_string(found));
    };
    if (depth == 0) throw CheckpointError(name + ": the stored config has no network.layers: not a deep run");
    if (s.weights.blocks.size() != depth) contradiction("blocks of weights", depth, s.weights.blocks.size());
    if (r.counters.size() != depth) contradiction("blocks of counters", depth, r.counters.size());
    if (s.stages_done == 0 || s.stages_done > stages) contradiction("stages done (at most)", stages, s.stages_done);
    if (r.stage_seconds.size() != s.stages_done) contradiction("stage times", s.stages_done, r.stage_seconds.size());
    const bool spiking_config = point.config.network.form == DeepForm::spiking;
    if (s.spiking.has_value() != spiking_config) {
        throw CheckpointError(name + ": the stored config's network.form is " + (spiking_config ? "spiking" : "rate") +
                              ", but the file " + (s.spiking ? "has" : "has no") + " spiking-form record");
    }
    if (s.spiking && s.spiking->forward.size() != depth) {
        contradiction("blocks of spiking counters", depth, s.spiking->forward.size());
    }
    return point;
}

void save_deep_training_checkpoint(const std::filesystem::path& path, const Config& config,
                                   const DeepTrainingState& state) {
    write_file_atomically(path, encode_deep_training_checkpoint(config, state));
}

DeepResumePoint load_deep_training_checkpoint(const std::filesystem::path& path) {
    return decode_deep_training_checkpoint(read_checkpoint_file(path), path.string());
}

}  // namespace softspike
