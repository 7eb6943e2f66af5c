#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "io/binary_codec.hpp"
#include "network/network_model.hpp"

namespace softspike {

// Weights file format (weights.ckpt), version 1 (all integers and floats little-endian):
//   bytes 0-7    magic "SSPKCKPT"
//   bytes 8-11   format version (uint32), currently 1
//   bytes 12-19  inputs D (uint64)
//   bytes 20-27  neurons N (uint64)
//   bytes 28-35  synaptic delay in ticks (int64)
//   then         D*N float32 weights, source-major (row = input), then N float32 biases
//   last 4 bytes CRC-32 (zlib) of everything before it
inline constexpr std::uint32_t checkpoint_format_version = 1;

// Written atomically (temporary file, fsync, rename).
void save_checkpoint(const std::filesystem::path& path, const NetworkModel& model);

// A CheckpointError names the file and what is wrong: missing, bad magic, newer version, truncated (with the
// offset), checksum mismatch.
NetworkModel load_checkpoint(const std::filesystem::path& path);

// The same from bytes in memory; `name` is used in messages (the fuzz target enters here).
NetworkModel decode_checkpoint(std::string_view bytes, const std::string& name);
std::string encode_checkpoint(const NetworkModel& model);

// The model section shared by every checkpoint kind: D, N, delay, weights, biases. read_model checks the
// sizes against the bytes left before allocating anything.
void write_model(ByteWriter& out, const NetworkModel& model);
NetworkModel read_model(ByteReader& in);

// The frame of every softspike binary file: 8 magic bytes, a uint32 format version, the body, a CRC-32 trailer.
ByteWriter begin_framed(std::string_view magic, std::uint32_t version);
std::string finish_framed(ByteWriter&& out);
// Checks magic and version and returns a reader positioned at the body (the trailer excluded). The CRC is
// checked by `check_crc` once the body is parsed, so that a truncated file is reported with the offset
// where it ends rather than as a bad checksum.
ByteReader open_framed(std::string_view bytes, std::string_view magic, std::uint32_t version, const std::string& name);
void check_crc(std::string_view bytes, const ByteReader& body);

// Reads a whole file; a missing file is a CheckpointError.
std::string read_checkpoint_file(const std::filesystem::path& path);

}  // namespace softspike
