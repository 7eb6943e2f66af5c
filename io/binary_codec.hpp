#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/errors.hpp"

static_assert(std::endian::native == std::endian::little, "softspike's binary files are written little-endian");

namespace softspike {

// Builds the bytes of a binary file (checkpoints): fixed-width little-endian values appended in order.
class ByteWriter {
public:
    template <typename T>
        requires std::is_arithmetic_v<T>
    void put(T value) {
        bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
    }
    template <typename T>
        requires std::is_arithmetic_v<T>
    void put_array(std::span<const T> values) {
        if (values.empty()) return;
        bytes_.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
    }
    // A length (uint64) followed by the bytes.
    void put_string(std::string_view text) {
        put<std::uint64_t>(text.size());
        bytes_.append(text);
    }
    void put_raw(std::string_view raw) { bytes_.append(raw); }
    [[nodiscard]] const std::string& bytes() const { return bytes_; }
    [[nodiscard]] std::string& bytes() { return bytes_; }

private:
    std::string bytes_;
};

// Reads what a ByteWriter wrote, checking every read against the end of the data: a short file is a
// CheckpointError naming the file, the field being read, its offset and how many bytes were left.
class ByteReader {
public:
    ByteReader(std::string_view bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}

    template <typename T>
        requires std::is_arithmetic_v<T>
    T get(std::string_view field) {
        need(sizeof(T), field);
        T value;
        std::memcpy(&value, bytes_.data() + offset_, sizeof(T));
        offset_ += sizeof(T);
        return value;
    }
    template <typename T>
        requires std::is_arithmetic_v<T>
    void get_array(std::span<T> out, std::string_view field) {
        need(out.size_bytes(), field);
        if (out.empty()) return;  // memcpy with the null data() of an empty vector is undefined
        std::memcpy(out.data(), bytes_.data() + offset_, out.size_bytes());
        offset_ += out.size_bytes();
    }
    std::string get_string(std::string_view field) {
        const auto size = get<std::uint64_t>(field);
        need(size, field);
        std::string text(bytes_.substr(offset_, size));
        offset_ += size;
        return text;
    }
    // Checks that `count` elements of `element_size` bytes can follow, before anything is allocated for them.
    void expect_elements(std::uint64_t count, std::size_t element_size, std::string_view field) const {
        if (count > remaining() / element_size) {
            throw CheckpointError(name_ + ": " + std::string(field) + " at offset " + std::to_string(offset_) +
                                  " claims " + std::to_string(count) + " elements of " +
                                  std::to_string(element_size) + " bytes, but only " + std::to_string(remaining()) +
                                  " bytes are left (truncated or corrupt file)");
        }
    }
    [[nodiscard]] std::size_t offset() const { return offset_; }
    [[nodiscard]] std::size_t remaining() const { return bytes_.size() - offset_; }
    [[nodiscard]] const std::string& name() const { return name_; }

private:
    void need(std::size_t size, std::string_view field) const {
        if (size > remaining()) {
            throw CheckpointError(name_ + ": truncated file: reading " + std::string(field) + " at offset " +
                                  std::to_string(offset_) + " needs " + std::to_string(size) + " bytes, found " +
                                  std::to_string(remaining()));
        }
    }

    std::string_view bytes_;
    std::string name_;
    std::size_t offset_ = 0;
};

// A vector as its uint64 length followed by its elements.
template <typename T>
void write_vector(ByteWriter& out, const std::vector<T>& values) {
    out.put<std::uint64_t>(values.size());
    out.put_array(std::span<const T>(values));
}

// The same read back; the length is checked against the bytes left before anything is allocated.
template <typename T>
std::vector<T> read_vector(ByteReader& in, std::string_view field) {
    const auto count = in.get<std::uint64_t>(field);
    in.expect_elements(count, sizeof(T), field);
    std::vector<T> values(count);
    in.get_array(std::span<T>(values), field);
    return values;
}

// CRC-32 (zlib's polynomial) of `bytes`, for the trailer of every binary file.
std::uint32_t crc32_of(std::string_view bytes);

}  // namespace softspike
