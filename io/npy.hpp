#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace softspike {

// A NumPy array as .npy (format 1.0) holds it: dtype descriptor, C-order shape, raw little-endian data.
struct NpyArray {
    std::string descr;  // '<f4' (float32) or '|u1' (uint8)
    std::vector<std::uint64_t> shape;
    std::string data;   // product(shape) elements
};

// The bytes of a .npy file: magic, version 1.0, the header dict padded with spaces to a multiple of 64 bytes
// and ended by a newline (as numpy.save writes it), then the data.
std::string encode_npy(const NpyArray& array);
// Parses what encode_npy writes (and numpy.save, for these dtypes); a malformed file is an OutputError.
NpyArray decode_npy(std::string_view bytes, const std::string& name);

NpyArray npy_float32(std::vector<std::uint64_t> shape, const std::vector<float>& values);
NpyArray npy_uint8(std::vector<std::uint64_t> shape, const std::vector<std::uint8_t>& values);

}  // namespace softspike
