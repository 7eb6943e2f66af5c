#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "io/binary_codec.hpp"
#include "rate/deep_weights.hpp"

namespace softspike {

// Deep weights file format (OUT/deep_weights.ckpt), version 1, little-endian, framed like weights.ckpt:
//   magic "SSPKDEEP", uint32 version
//   uint64 blocks B, then per block from the input:
//     the model section of weights.ckpt: uint64 patch size, uint64 kernels, int64 delay (0),
//       patch size x kernels float32 weights (patch-major, channel-major patches), kernels float32 biases (0)
//     uint64 input channels C, C float64 BatchNorm running means, C float64 running variances
//   CRC-32 of everything before it
inline constexpr std::uint32_t deep_checkpoint_format_version = 1;

// Written atomically (temporary file, fsync, rename).
void save_deep_checkpoint(const std::filesystem::path& path, const DeepWeights& weights);

// A CheckpointError names the file and what is wrong: missing, another kind of softspike file, newer version,
// truncated (with the offset), checksum mismatch.
DeepWeights load_deep_checkpoint(const std::filesystem::path& path);

std::string encode_deep_checkpoint(const DeepWeights& weights);
DeepWeights decode_deep_checkpoint(std::string_view bytes, const std::string& name);

// The blocks section, shared with the deep training checkpoint.
void write_deep_weights(ByteWriter& out, const DeepWeights& weights);
DeepWeights read_deep_weights(ByteReader& in);

}  // namespace softspike
