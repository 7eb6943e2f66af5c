#pragma once
#include <cstdint>

#include "chip/chip_params.hpp"
#include "core/dataset.hpp"
#include "rate/deep_weights.hpp"
#include "run/evaluation.hpp"

namespace softspike {

// True when chip.weight_bits, dead_synapses or weight_noise change what a deep network's kernels hold.
[[nodiscard]] bool chip_changes_kernels(const ChipParams& chip);

// Every block's kernels as the chip holds them for a frozen pass (docs/model.md §13, "The chip's limits"): the
// block's dead kernel entries (drawn from (seed, block)) zero; every entry on a grid of 2^(weight_bits-1) - 1
// steps each side of zero spanning the block's own largest |w| (a per-tensor scale: one network's blocks differ
// in scale by orders of magnitude, so one range for all would waste the bits), rounded stochastically or to the
// nearest step; then device mismatch, Gaussian with sd weight_noise times the block's RMS, put back on the grid
// with the dead entries still zero. BatchNorm statistics are unchanged. An ideal chip returns `learned`.
// Kernels learned on the chip (`learned_on_chip`: train, events --learning) are on the learning's grid already
// (chip/kernel_memory: a power-of-two step per block) with their dead cells zero: they keep that grid, and
// mismatch is put back on it.
[[nodiscard]] DeepWeights chip_kernels(const DeepWeights& learned, const ChipParams& chip, std::uint64_t seed,
                                       bool learned_on_chip = false);

// `data` as the chip receives it with chip.input_noise: Gaussian noise of that sd on every pixel, clamped to
// [0, 1], one draw per image from (seed, input_noise, image), the test set's streams apart from the training
// set's. Every presentation of an image sees the same draw.
[[nodiscard]] Dataset chip_images(const Dataset& data, double input_noise, std::uint64_t seed, FrozenSet set);

}  // namespace softspike
