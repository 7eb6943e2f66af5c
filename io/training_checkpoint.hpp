#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "run/config.hpp"
#include "run/training_state.hpp"

namespace softspike {

// Training checkpoint format (OUT/training_state.ckpt), version 2, little-endian, framed like weights.ckpt:
//   magic "SSPKTRST", uint32 version
//   the config as run (uint64 length + JSON text)
//   uint64 images done, float64 training seconds so far
//   9 x uint64 event counters (the EventCounters fields in declaration order)
//   the model section of weights.ckpt (D, N, delay, weights, biases)
//   uint64 count + float64 x count: plasticity rule state
//   uint64 count + float64 x count: on-line label assignment counts (N x classes);
//   uint64 count + int16 x count: its assignments; uint64 images it has seen
//   uint64 count + uint8 x count: the running accuracy's window of outcomes
//   uint64 count + (uint64 images, float64 accuracy) x count: the running accuracy curve
//   (version 2) the on-line linear read-out: uint64 count + float64 x count weights (classes x N), the same
//   for its biases, its window of outcomes and its curve, as above
//   CRC-32 of everything before it
// Version 1 files (before the linear read-out's curve) are refused with the version found.
inline constexpr std::uint32_t training_checkpoint_format_version = 2;

// Written atomically (temporary file, fsync, rename).
void save_training_checkpoint(const std::filesystem::path& path, const Config& config, const TrainingState& state);
// A CheckpointError names the file and what is wrong (missing, bad magic, newer version, truncated with the
// offset, checksum mismatch, parts that contradict each other).
ResumePoint load_training_checkpoint(const std::filesystem::path& path);

// A checkpoint's stored config (JSON text at offset 12, after the frame's header) parsed and checked; a
// CheckpointError naming `name` when it is not valid JSON or not a valid config.
Config decode_stored_config(const std::string& text, const std::string& name);

std::string encode_training_checkpoint(const Config& config, const TrainingState& state);
ResumePoint decode_training_checkpoint(std::string_view bytes, const std::string& name);

}  // namespace softspike
