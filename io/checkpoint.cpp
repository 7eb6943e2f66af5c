#include "io/checkpoint.hpp"

#include <zlib.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

#include "io/atomic_file.hpp"
#include "io/errors.hpp"

static_assert(std::endian::native == std::endian::little, "checkpoints are written little-endian");

namespace softspike {

namespace {

constexpr char kMagic[8] = {'S', 'S', 'P', 'K', 'C', 'K', 'P', 'T'};
constexpr std::size_t kHeader = 36;

template <typename T>
void append(std::string& out, const T& value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
T read_at(const std::string& bytes, std::size_t offset) {
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

std::uint32_t crc_of(const char* data, std::size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths: feed large buffers in pieces.
    while (size > 0) {
        const auto piece = static_cast<uInt>(std::min<std::size_t>(size, 1U << 30U));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), piece);
        data += piece;
        size -= piece;
    }
    return static_cast<std::uint32_t>(crc);
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, const NetworkModel& model) {
    std::string out;
    const std::uint64_t inputs = model.weights.sources();
    const std::uint64_t neurons = model.weights.targets();
    out.reserve(kHeader + 4 * (inputs * neurons + neurons) + 4);
    out.append(kMagic, sizeof kMagic);
    append(out, checkpoint_format_version);
    append(out, inputs);
    append(out, neurons);
    append(out, static_cast<std::int64_t>(model.weights.delay()));
    out.append(reinterpret_cast<const char*>(model.weights.weights().data()), 4 * inputs * neurons);
    out.append(reinterpret_cast<const char*>(model.biases.data()), 4 * neurons);
    append(out, crc_of(out.data(), out.size()));
    write_file_atomically(path, out);
}

NetworkModel load_checkpoint(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CheckpointError(name + ": cannot open checkpoint (missing or unreadable)");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < kHeader + 4) {
        throw CheckpointError(name + ": truncated checkpoint: expected a header of " + std::to_string(kHeader + 4) +
                              " bytes, the file ends at offset " + std::to_string(bytes.size()));
    }
    if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
        throw CheckpointError(name + ": not a softspike checkpoint: expected magic SSPKCKPT at offset 0, found '" +
                              bytes.substr(0, 8) + "'");
    }
    const auto version = read_at<std::uint32_t>(bytes, 8);
    if (version != checkpoint_format_version) {
        throw CheckpointError(
            name + ": checkpoint format version " + std::to_string(version) + " at offset 8" +
            (version > checkpoint_format_version ? " is newer than this build reads" : " is unknown") + ": expected " +
            std::to_string(checkpoint_format_version));
    }
    const auto inputs = read_at<std::uint64_t>(bytes, 12);
    const auto neurons = read_at<std::uint64_t>(bytes, 20);
    const auto delay = read_at<std::int64_t>(bytes, 28);
    if (inputs == 0 || neurons == 0 || inputs > (1ULL << 24U) || neurons > (1ULL << 24U) || delay < 0) {
        throw CheckpointError(name + ": implausible header at offset 12: inputs " + std::to_string(inputs) +
                              ", neurons " + std::to_string(neurons) + ", delay " + std::to_string(delay) +
                              " (expected 1 to 2^24 inputs and neurons, delay >= 0)");
    }
    const std::size_t expected = kHeader + 4 * (inputs * neurons + neurons) + 4;
    if (bytes.size() != expected) {
        throw CheckpointError(name + ": checkpoint size mismatch: a " + std::to_string(inputs) + "x" +
                              std::to_string(neurons) + " network needs " + std::to_string(expected) +
                              " bytes, found " + std::to_string(bytes.size()) +
                              (bytes.size() < expected ? " (truncated)" : " (trailing bytes)"));
    }
    const auto stored_crc = read_at<std::uint32_t>(bytes, expected - 4);
    const auto actual_crc = crc_of(bytes.data(), expected - 4);
    if (stored_crc != actual_crc) {
        throw CheckpointError(name + ": checksum mismatch at offset " + std::to_string(expected - 4) +
                              ": the file is corrupt");
    }
    NetworkModel model{Projection(inputs, neurons, delay), std::vector<float>(neurons)};
    std::memcpy(model.weights.weights().data(), bytes.data() + kHeader, 4 * inputs * neurons);
    std::memcpy(model.biases.data(), bytes.data() + kHeader + 4 * inputs * neurons, 4 * neurons);
    return model;
}

}  // namespace softspike
