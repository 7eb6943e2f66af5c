#pragma once
// Generated files of the colour data sets' binary formats, for tests: these data sets are not on our machines.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

namespace softspike::testing {

inline void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
}

// The byte a generated image holds at channel c, row y, column x: distinct for every (image, c, y, x) mod 251.
inline std::uint8_t pixel_byte(std::size_t image, std::size_t c, std::size_t y, std::size_t x) {
    return static_cast<std::uint8_t>((image * 7 + c * 31 + y * 3 + x * 5) % 251);
}

// `count` CIFAR-10 records, labels first + image number.
inline std::vector<std::uint8_t> cifar_records(std::size_t first, std::size_t count) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = first; i < first + count; ++i) {
        bytes.push_back(static_cast<std::uint8_t>(i % 10));
        for (std::size_t c = 0; c < 3; ++c) {
            for (std::size_t y = 0; y < 32; ++y) {
                for (std::size_t x = 0; x < 32; ++x) bytes.push_back(pixel_byte(i, c, y, x));
            }
        }
    }
    return bytes;
}

}  // namespace softspike::testing
