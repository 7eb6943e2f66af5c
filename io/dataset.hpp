#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace softspike {

// Labelled images with intensities in [0, 1], one row per image.
struct Dataset {
    std::size_t rows = 28;
    std::size_t cols = 28;
    std::vector<float> pixels;         // size() * rows * cols
    std::vector<std::uint8_t> labels;  // size()
    std::size_t classes = 10;

    [[nodiscard]] std::size_t size() const { return labels.size(); }
    [[nodiscard]] std::size_t pixels_per_image() const { return rows * cols; }
    [[nodiscard]] std::span<const float> image(std::size_t index) const {
        return {pixels.data() + index * pixels_per_image(), pixels_per_image()};
    }
};

// Loads an IDX image file and its label file, checks that they agree (count) and that every label is below
// `classes`, and keeps at most `limit` images (0: all).
Dataset load_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels, std::size_t limit,
                         std::size_t classes = 10);

// Fashion-MNIST's official split in `dir` (the Debian package's file names): "train" or "t10k".
Dataset load_fashion_mnist(const std::filesystem::path& dir, const char* split, std::size_t limit);

}  // namespace softspike
