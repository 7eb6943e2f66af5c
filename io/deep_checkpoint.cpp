#include "io/deep_checkpoint.hpp"

#include "core/errors.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"

namespace softspike {

namespace {

constexpr std::string_view kMagic = "SSPKDEEP";
// More blocks than this is a corrupt count, refused before anything is allocated for them.
constexpr std::uint64_t kMaxBlocks = 1024;

}  // namespace

void write_deep_weights(ByteWriter& out, const DeepWeights& weights) {
    out.put<std::uint64_t>(weights.blocks.size());
    for (const BlockWeights& block : weights.blocks) {
        write_model(out, block.kernels);
        out.put<std::uint64_t>(block.running_mean.size());
        out.put_array(std::span<const double>(block.running_mean));
        out.put_array(std::span<const double>(block.running_variance));
    }
}

DeepWeights read_deep_weights(ByteReader& in) {
    const std::size_t count_at = in.offset();
    const auto count = in.get<std::uint64_t>("block count");
    if (count == 0 || count > kMaxBlocks) {
        throw CheckpointError(in.name() + ": implausible block count " + std::to_string(count) + " at offset " +
                              std::to_string(count_at) + " (expected 1 to " + std::to_string(kMaxBlocks) + ")");
    }
    DeepWeights weights;
    weights.blocks.resize(count);
    for (std::uint64_t b = 0; b < count; ++b) {
        BlockWeights& block = weights.blocks[b];
        block.kernels = read_model(in);
        const std::string field = "block " + std::to_string(b + 1) + " BatchNorm statistics";
        const auto channels = in.get<std::uint64_t>(field);
        in.expect_elements(channels, 2 * sizeof(double), field);
        block.running_mean.resize(channels);
        block.running_variance.resize(channels);
        in.get_array(std::span<double>(block.running_mean), field);
        in.get_array(std::span<double>(block.running_variance), field);
    }
    return weights;
}

std::string encode_deep_checkpoint(const DeepWeights& weights) {
    ByteWriter out = begin_framed(kMagic, deep_checkpoint_format_version);
    write_deep_weights(out, weights);
    return finish_framed(std::move(out));
}

DeepWeights decode_deep_checkpoint(std::string_view bytes, const std::string& name) {
    ByteReader in = open_framed(bytes, kMagic, deep_checkpoint_format_version, name);
    DeepWeights weights = read_deep_weights(in);
    check_crc(bytes, in);
    return weights;
}

void save_deep_checkpoint(const std::filesystem::path& path, const DeepWeights& weights) {
    write_file_atomically(path, encode_deep_checkpoint(weights));
}

DeepWeights load_deep_checkpoint(const std::filesystem::path& path) {
    return decode_deep_checkpoint(read_checkpoint_file(path), path.string());
}

}  // namespace softspike
