#pragma once
#include <algorithm>
#include <cstddef>
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
    // The images listed in `rows`, in that order, one after another into `out` (resized), and, unless null,
    // their labels into `out_labels`: a mini-batch.
    void gather(std::span<const std::size_t> rows, std::vector<float>& out,
                std::vector<std::uint8_t>* out_labels = nullptr) const {
        const std::size_t d = pixels_per_image();
        out.resize(rows.size() * d);
        if (out_labels != nullptr) out_labels->resize(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::span<const float> from = image(rows[i]);
            std::copy(from.begin(), from.end(), out.begin() + static_cast<std::ptrdiff_t>(i * d));
            if (out_labels != nullptr) (*out_labels)[i] = labels[rows[i]];
        }
    }
};

}  // namespace softspike
