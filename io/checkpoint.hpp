#pragma once
#include <filesystem>

#include "run/network_model.hpp"

namespace softspike {

// Checkpoint file format, version 1 (all integers and floats little-endian):
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

}  // namespace softspike
