#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "run/config.hpp"
#include "run/deep_training.hpp"

namespace softspike {

// Deep training checkpoint format (OUT/deep_state.ckpt), version 2, little-endian, framed like weights.ckpt;
// written at the end of every stage of the unsupervised phase:
//   magic "SSPKDTST", uint32 version
//   the config as run (uint64 length + JSON text)
//   uint64 stages done, uint64 images, uint64 presentations, float64 seconds
//   uint64 count + float64 x count: the stages' seconds
//   uint64 blocks + 8 x uint64 per block: the RateCounters fields in declaration order
//   uint64 points + (uint64 block, uint64 images, float64 mean, sd, min, max) per point: the learning curve
//   uint8 1 for a spiking-form run (network.form spiking), else 0; then, for a spiking run only:
//     uint64 blocks + per block 11 x uint64 (SpikingBlockCounters: EventCounters' fields in declaration order,
//     outputs, silent outputs) and 4 x uint64 (SpikingPlasticityCounters' fields in declaration order);
//     uint64 count + float64 x count: the spike values
//   the blocks section of deep_weights.ckpt
//   CRC-32 of everything before it
// Version 2 added the spiking section (version 1 files are refused: they are transient resume points).
inline constexpr std::uint32_t deep_training_checkpoint_format_version = 2;

// Written atomically (temporary file, fsync, rename).
void save_deep_training_checkpoint(const std::filesystem::path& path, const Config& config,
                                   const DeepTrainingState& state);
// A CheckpointError names the file and what is wrong (missing, bad magic, newer version, truncated with the
// offset, checksum mismatch, parts that contradict the stored config).
DeepResumePoint load_deep_training_checkpoint(const std::filesystem::path& path);

std::string encode_deep_training_checkpoint(const Config& config, const DeepTrainingState& state);
DeepResumePoint decode_deep_training_checkpoint(std::string_view bytes, const std::string& name);

}  // namespace softspike
