#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace softspike {

// Labelled images with intensities in [0, 1], one row per image, each image its channels' planes in turn
// (channels first), each plane row-major.
struct Dataset {
    std::size_t channels = 1;
    std::size_t rows = 28;
    std::size_t cols = 28;
    std::vector<float> pixels;         // size() * channels * rows * cols
    std::vector<std::uint8_t> labels;  // size()
    std::size_t classes = 10;

    [[nodiscard]] std::size_t size() const { return labels.size(); }
    [[nodiscard]] std::size_t pixels_per_image() const { return channels * rows * cols; }
    [[nodiscard]] std::span<const float> image(std::size_t index) const {
        return {pixels.data() + index * pixels_per_image(), pixels_per_image()};
    }
};

}  // namespace softspike
