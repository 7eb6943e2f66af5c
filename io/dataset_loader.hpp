#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "core/dataset.hpp"
#include "run/config.hpp"

namespace softspike {

// Loads an IDX image file and its label file, checks that they agree (count) and that every label is below
// `classes`, and keeps at most `limit` images (0: all).
Dataset load_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels, std::size_t limit,
                         std::size_t classes = 10);

// Fashion-MNIST's official split in `dir` (the Debian package's file names): "train" or "t10k".
Dataset load_fashion_mnist(const std::filesystem::path& dir, const char* split, std::size_t limit);

// The training or evaluation images that `data` names (dir, format, train_images, and test_images or, with
// validation_images, the training split's last images, never seen in training).
Dataset load_configured_dataset(const DataConfig& data, bool train);

}  // namespace softspike
