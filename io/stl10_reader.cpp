#include "io/stl10_reader.hpp"

#include "core/errors.hpp"
#include "io/idx_reader.hpp"

namespace softspike {

Dataset parse_stl10(const std::vector<std::uint8_t>& image_bytes, const std::string& image_name,
                    const std::vector<std::uint8_t>& label_bytes, const std::string& label_name, std::size_t limit) {
    if (image_bytes.size() % kStlImageBytes != 0) {
        const std::size_t whole = image_bytes.size() / kStlImageBytes;
        throw DataError(image_name + ": truncated STL-10 image at byte offset " +
                        std::to_string(whole * kStlImageBytes) + ": expected images of " +
                        std::to_string(kStlImageBytes) + " bytes, found " +
                        std::to_string(image_bytes.size() - whole * kStlImageBytes) + " bytes after " +
                        std::to_string(whole) + " whole images");
    }
    const std::size_t count = image_bytes.size() / kStlImageBytes;
    if (label_bytes.size() != count) {
        throw DataError(label_name + ": expected one label byte per image of " + image_name + " (" +
                        std::to_string(count) + "), found " + std::to_string(label_bytes.size()));
    }
    const std::size_t keep = limit == 0 || limit > count ? count : limit;
    Dataset set;
    set.channels = 3;
    set.rows = kStlSide;
    set.cols = kStlSide;
    set.classes = 10;
    set.labels.resize(keep);
    set.pixels.resize(keep * kStlImageBytes);
    constexpr std::size_t plane = kStlSide * kStlSide;
    for (std::size_t i = 0; i < keep; ++i) {
        if (label_bytes[i] < 1 || label_bytes[i] > 10) {
            throw DataError(label_name + ": label " + std::to_string(label_bytes[i]) + " at byte offset " +
                            std::to_string(i) + " is out of range: expected 1 to 10");
        }
        set.labels[i] = static_cast<std::uint8_t>(label_bytes[i] - 1);
        const std::uint8_t* image = image_bytes.data() + i * kStlImageBytes;
        float* out = set.pixels.data() + i * kStlImageBytes;
        for (std::size_t c = 0; c < 3; ++c) {
            for (std::size_t x = 0; x < kStlSide; ++x) {
                for (std::size_t y = 0; y < kStlSide; ++y) {
                    out[c * plane + y * kStlSide + x] = static_cast<float>(image[c * plane + x * kStlSide + y]) / 255.0F;
                }
            }
        }
    }
    return set;
}

Dataset load_stl10(const std::filesystem::path& dir, const std::string& split, std::size_t limit) {
    if (split != "train" && split != "test") {
        throw DataError("STL-10: unknown split \"" + split + "\": expected train or test");
    }
    const std::filesystem::path images = dir / (split + "_X.bin");
    const std::filesystem::path labels = dir / (split + "_y.bin");
    return parse_stl10(read_maybe_gzipped(images), images.string(), read_maybe_gzipped(labels), labels.string(), limit);
}

}  // namespace softspike
