#include "io/idx_reader.hpp"

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "core/errors.hpp"

namespace softspike {

namespace {

std::string hex_byte(std::uint8_t b) {
    static const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4U] + digits[b & 15U];
}

std::vector<std::uint8_t> inflate_gzip(const std::vector<std::uint8_t>& compressed, const std::string& name) {
    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip header and trailer (CRC-32 and length are checked by zlib).
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw DataError(name + ": cannot initialise zlib");
    std::vector<std::uint8_t> out;
    out.reserve(compressed.size() * 4);
    stream.next_in = const_cast<Bytef*>(compressed.data());
    stream.avail_in = static_cast<uInt>(compressed.size());
    std::vector<std::uint8_t> chunk(1U << 20U);
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        stream.next_out = chunk.data();
        stream.avail_out = static_cast<uInt>(chunk.size());
        status = inflate(&stream, Z_NO_FLUSH);
        out.insert(out.end(), chunk.data(), chunk.data() + (chunk.size() - stream.avail_out));
        if (out.size() > max_inflated_bytes) {
            const auto at = stream.total_in;
            inflateEnd(&stream);
            throw DataError(name + ": gzip stream inflates past " + std::to_string(max_inflated_bytes) +
                            " bytes at compressed byte " + std::to_string(at) +
                            " (expected an IDX file; this is corrupt or not a data set)");
        }
        if (status == Z_STREAM_END) break;
        if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0)) {
            const auto at = stream.total_in;
            inflateEnd(&stream);
            throw DataError(name + ": truncated gzip stream: the compressed data ends at byte " + std::to_string(at) +
                            " before the end of the stream (expected a complete gzip member with its trailer)");
        }
        if (status != Z_OK) {
            const auto at = stream.total_in;
            const std::string message = stream.msg != nullptr ? stream.msg : "error " + std::to_string(status);
            inflateEnd(&stream);
            throw DataError(name + ": corrupt gzip stream at compressed byte " + std::to_string(at) + ": " + message);
        }
    }
    inflateEnd(&stream);
    return out;
}

}  // namespace

std::vector<std::uint8_t> read_maybe_gzipped(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": cannot open file (missing or unreadable)");
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return inflate_if_gzipped(std::move(bytes), path.string());
}

std::vector<std::uint8_t> inflate_if_gzipped(std::vector<std::uint8_t> bytes, const std::string& name) {
    if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return inflate_gzip(bytes, name);
    return bytes;
}

IdxArray parse_idx(const std::vector<std::uint8_t>& bytes, std::size_t expected_dimensions, const std::string& name) {
    if (bytes.size() < 4) {
        throw DataError(name + ": truncated IDX header: expected 4 magic bytes at offset 0, found " +
                        std::to_string(bytes.size()) + " bytes in the file");
    }
    if (bytes[0] != 0 || bytes[1] != 0) {
        throw DataError(name + ": bad IDX magic at offset 0: expected 0x00 0x00, found " + hex_byte(bytes[0]) + " " +
                        hex_byte(bytes[1]));
    }
    if (bytes[2] != 0x08) {
        throw DataError(name + ": unsupported IDX element type at offset 2: expected 0x08 (unsigned byte), found " +
                        hex_byte(bytes[2]));
    }
    if (bytes[3] != expected_dimensions) {
        throw DataError(name + ": wrong IDX dimension count at offset 3: expected " +
                        std::to_string(expected_dimensions) + ", found " + std::to_string(bytes[3]));
    }
    const std::size_t header = 4 + 4 * expected_dimensions;
    if (bytes.size() < header) {
        throw DataError(name + ": truncated IDX header: expected " + std::to_string(header) +
                        " bytes of header, the data ends at offset " + std::to_string(bytes.size()));
    }
    IdxArray array;
    std::uint64_t count = 1;
    for (std::size_t d = 0; d < expected_dimensions; ++d) {
        const std::size_t at = 4 + 4 * d;
        const std::uint32_t dim = (std::uint32_t{bytes[at]} << 24U) | (std::uint32_t{bytes[at + 1]} << 16U) |
                                  (std::uint32_t{bytes[at + 2]} << 8U) | std::uint32_t{bytes[at + 3]};
        if (dim == 0) {
            throw DataError(name + ": IDX dimension " + std::to_string(d) + " at offset " + std::to_string(at) +
                            " is 0: expected at least 1");
        }
        array.dimensions.push_back(dim);
        // Saturate rather than wrap: three 32-bit dimensions can overflow 64 bits, and a wrapped product
        // could match the data size by accident.
        constexpr std::uint64_t kSaturated = std::uint64_t{1} << 62U;
        count = dim > kSaturated / count ? kSaturated : count * dim;
    }
    const std::size_t available = bytes.size() - header;
    if (available != count) {
        std::ostringstream message;
        message << name << ": IDX data size mismatch: the header (dimensions";
        for (const auto dim : array.dimensions) message << ' ' << dim;
        message << ") promises " << count << " bytes from offset " << header << ", found " << available;
        message << (available < count ? " (file truncated at offset " : " (trailing bytes from offset ")
                << (available < count ? bytes.size() : header + count) << ")";
        throw DataError(message.str());
    }
    array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
    return array;
}

IdxArray read_idx(const std::filesystem::path& path, std::size_t expected_dimensions) {
    return parse_idx(read_maybe_gzipped(path), expected_dimensions, path.string());
}

}  // namespace softspike
