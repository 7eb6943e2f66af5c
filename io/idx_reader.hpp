#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace softspike {

// The contents of an IDX file (LeCun's MNIST format): unsigned-byte data and its dimensions.
struct IdxArray {
    std::vector<std::uint32_t> dimensions;
    std::vector<std::uint8_t> data;  // row-major, product(dimensions) bytes
};

// Reads a whole file, inflating it if it starts with the gzip magic. A truncated or corrupt gzip stream is
// a DataError naming the file and the compressed byte offset where inflation stopped.
std::vector<std::uint8_t> read_maybe_gzipped(const std::filesystem::path& path);

// Inflates `bytes` if they start with the gzip magic, else returns them as they are; `name` is used in
// messages. More than max_inflated_bytes of output is a DataError (a gzip bomb, not a data set).
std::vector<std::uint8_t> inflate_if_gzipped(std::vector<std::uint8_t> bytes, const std::string& name);
inline constexpr std::size_t max_inflated_bytes = std::size_t{1} << 32U;

// Parses IDX bytes: magic (two zero bytes, type 0x08 for unsigned byte, the number of dimensions), the
// big-endian 32-bit dimensions, then the data. `expected_dimensions` must match; a short or long data part
// is a DataError naming `name`, the byte offset, what was expected and what was found.
IdxArray parse_idx(const std::vector<std::uint8_t>& bytes, std::size_t expected_dimensions, const std::string& name);

// read_maybe_gzipped + parse_idx.
IdxArray read_idx(const std::filesystem::path& path, std::size_t expected_dimensions);

}  // namespace softspike
