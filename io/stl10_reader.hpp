#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/dataset.hpp"

namespace softspike {

// STL-10's binary version ("stl10_binary"): <split>_X.bin holds 96 x 96 colour images as bytes, each image the
// red, green and blue planes in turn, each plane column-major (Matlab's order); <split>_y.bin one label byte per
// image, 1 to 10. Our Dataset keeps planes row-major, labels 0 to 9.
inline constexpr std::size_t kStlSide = 96;
inline constexpr std::size_t kStlImageBytes = 3 * kStlSide * kStlSide;

// The images of `image_bytes` and labels of `label_bytes` (the contents of the files named), at most `limit`
// (0: all). A size that is not a whole number of images, a label count that differs from the image count, or a
// label outside 1 to 10, is a DataError naming the file, the byte offset, what was expected and what was found.
Dataset parse_stl10(const std::vector<std::uint8_t>& image_bytes, const std::string& image_name,
                    const std::vector<std::uint8_t>& label_bytes, const std::string& label_name, std::size_t limit);

// The official split in `dir`: "train" (5,000 images) or "test" (8,000); files may be gzipped.
Dataset load_stl10(const std::filesystem::path& dir, const std::string& split, std::size_t limit);

}  // namespace softspike
