#include "io/checkpoint.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "io/atomic_file.hpp"
#include "core/errors.hpp"

namespace softspike {

namespace {

constexpr std::string_view kMagic = "SSPKCKPT";
constexpr std::size_t kFrameHeader = 12;  // magic + version
constexpr std::size_t kTrailer = 4;
// Larger sizes are rejected as corrupt before anything is allocated.
constexpr std::uint64_t kMaxDimension = 1ULL << 24U;

}  // namespace

std::uint32_t crc32_of(std::string_view bytes) {
    uLong crc = crc32(0L, Z_NULL, 0);
    const char* data = bytes.data();
    std::size_t size = bytes.size();
    // zlib takes uInt lengths: feed large buffers in pieces.
    while (size > 0) {
        const auto piece = static_cast<uInt>(std::min<std::size_t>(size, 1U << 30U));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), piece);
        data += piece;
        size -= piece;
    }
    return static_cast<std::uint32_t>(crc);
}

ByteWriter begin_framed(std::string_view magic, std::uint32_t version) {
    ByteWriter out;
    out.put_raw(magic);
    out.put(version);
    return out;
}

std::string finish_framed(ByteWriter&& out) {
    const std::uint32_t crc = crc32_of(out.bytes());
    out.put(crc);
    return std::move(out.bytes());
}

ByteReader open_framed(std::string_view bytes, std::string_view magic, std::uint32_t version,
                       const std::string& name) {
    if (bytes.size() < kFrameHeader + kTrailer) {
        throw CheckpointError(name + ": truncated file: expected at least " +
                              std::to_string(kFrameHeader + kTrailer) +
                              " bytes (magic, version, checksum), the file ends at offset " +
                              std::to_string(bytes.size()));
    }
    if (bytes.substr(0, magic.size()) != magic) {
        std::string found(bytes.substr(0, magic.size()));
        for (char& c : found) c = (c >= 32 && c < 127) ? c : '?';
        throw CheckpointError(name + ": not a softspike file of this kind: expected magic " + std::string(magic) +
                              " at offset 0, found '" + found + "'");
    }
    std::uint32_t found_version;
    std::memcpy(&found_version, bytes.data() + magic.size(), sizeof found_version);
    if (found_version != version) {
        throw CheckpointError(name + ": format version " + std::to_string(found_version) + " at offset 8" +
                              (found_version > version ? " is newer than this build reads" : " is unknown") +
                              ": expected " + std::to_string(version));
    }
    ByteReader reader(bytes.substr(0, bytes.size() - kTrailer), name);
    reader.get<std::uint64_t>("header");  // skip the magic
    reader.get<std::uint32_t>("version");
    return reader;
}

void check_crc(std::string_view bytes, const ByteReader& body) {
    if (body.remaining() != 0) {
        throw CheckpointError(body.name() + ": " + std::to_string(body.remaining()) +
                              " unexpected bytes at offset " + std::to_string(body.offset()) +
                              " before the checksum (expected the file to end there)");
    }
    const std::size_t at = bytes.size() - kTrailer;
    std::uint32_t stored;
    std::memcpy(&stored, bytes.data() + at, sizeof stored);
    if (stored != crc32_of(bytes.substr(0, at))) {
        throw CheckpointError(body.name() + ": checksum mismatch at offset " + std::to_string(at) +
                              ": the file is corrupt");
    }
}

void write_model(ByteWriter& out, const NetworkModel& model) {
    out.put<std::uint64_t>(model.weights.sources());
    out.put<std::uint64_t>(model.weights.targets());
    out.put<std::int64_t>(model.weights.delay());
    out.put_array(std::span<const float>(model.weights.weights()));
    out.put_array(std::span<const float>(model.biases));
}

NetworkModel read_model(ByteReader& in) {
    const std::size_t header_at = in.offset();
    const auto inputs = in.get<std::uint64_t>("inputs");
    const auto neurons = in.get<std::uint64_t>("neurons");
    const auto delay = in.get<std::int64_t>("synaptic delay");
    if (inputs == 0 || neurons == 0 || inputs > kMaxDimension || neurons > kMaxDimension || delay < 0) {
        throw CheckpointError(in.name() + ": implausible model header at offset " + std::to_string(header_at) +
                              ": inputs " + std::to_string(inputs) + ", neurons " + std::to_string(neurons) +
                              ", delay " + std::to_string(delay) +
                              " (expected 1 to 2^24 inputs and neurons, delay >= 0)");
    }
    const std::uint64_t floats = inputs * neurons + neurons;
    if (floats > in.remaining() / sizeof(float)) {
        throw CheckpointError(in.name() + ": truncated model: a " + std::to_string(inputs) + "x" +
                              std::to_string(neurons) + " network needs " + std::to_string(floats * sizeof(float)) +
                              " bytes of weights and biases from offset " + std::to_string(in.offset()) +
                              ", found " + std::to_string(in.remaining()) + " (truncated)");
    }
    NetworkModel model{Projection(inputs, neurons, delay), std::vector<float>(neurons)};
    in.get_array(std::span<float>(model.weights.weights()), "weights");
    in.get_array(std::span<float>(model.biases), "biases");
    return model;
}

std::string encode_checkpoint(const NetworkModel& model) {
    ByteWriter out = begin_framed(kMagic, checkpoint_format_version);
    write_model(out, model);
    return finish_framed(std::move(out));
}

NetworkModel decode_checkpoint(std::string_view bytes, const std::string& name) {
    ByteReader in = open_framed(bytes, kMagic, checkpoint_format_version, name);
    NetworkModel model = read_model(in);
    if (in.remaining() != 0) {
        throw CheckpointError(name + ": checkpoint size mismatch: a " + std::to_string(model.weights.sources()) +
                              "x" + std::to_string(model.weights.targets()) + " network ends at offset " +
                              std::to_string(in.offset()) + ", found " + std::to_string(in.remaining()) +
                              " more bytes before the checksum (trailing bytes)");
    }
    check_crc(bytes, in);
    return model;
}

std::string read_checkpoint_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CheckpointError(path.string() + ": cannot open checkpoint (missing or unreadable)");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void save_checkpoint(const std::filesystem::path& path, const NetworkModel& model) {
    write_file_atomically(path, encode_checkpoint(model));
}

NetworkModel load_checkpoint(const std::filesystem::path& path) {
    return decode_checkpoint(read_checkpoint_file(path), path.string());
}

}  // namespace softspike
