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
