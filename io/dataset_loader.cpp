#include "io/dataset_loader.hpp"

#include <algorithm>
#include <string>

#include "core/errors.hpp"
#include "io/cifar10_reader.hpp"
#include "io/idx_reader.hpp"
#include "io/stl10_reader.hpp"

namespace softspike {

Dataset load_idx_dataset(const std::filesystem::path& images, const std::filesystem::path& labels, std::size_t limit,
                         std::size_t classes) {
    const IdxArray image_array = read_idx(images, 3);
    const IdxArray label_array = read_idx(labels, 1);
    const std::size_t count = image_array.dimensions[0];
    if (label_array.dimensions[0] != count) {
        throw DataError(labels.string() + ": label count " + std::to_string(label_array.dimensions[0]) +
                        " does not match the image count " + std::to_string(count) + " of " + images.string());
    }
    Dataset set;
    set.rows = image_array.dimensions[1];
    set.cols = image_array.dimensions[2];
    set.classes = classes;
    const std::size_t keep = (limit == 0 || limit > count) ? count : limit;
    const std::size_t pixels = set.rows * set.cols;
    set.pixels.resize(keep * pixels);
    for (std::size_t i = 0; i < keep * pixels; ++i) set.pixels[i] = static_cast<float>(image_array.data[i]) / 255.0F;
    set.labels.assign(label_array.data.begin(), label_array.data.begin() + static_cast<std::ptrdiff_t>(keep));
    for (std::size_t i = 0; i < keep; ++i) {
        if (set.labels[i] >= classes) {
            throw DataError(labels.string() + ": label " + std::to_string(set.labels[i]) + " at offset " +
                            std::to_string(8 + i) + " is out of range: expected 0 to " + std::to_string(classes - 1));
        }
    }
    return set;
}

Dataset load_fashion_mnist(const std::filesystem::path& dir, const char* split, std::size_t limit) {
    const std::string prefix = split;
    return load_idx_dataset(dir / (prefix + "-images-idx3-ubyte.gz"), dir / (prefix + "-labels-idx1-ubyte.gz"), limit);
}

namespace {

Dataset load_split(const DataConfig& data, bool train, std::size_t limit) {
    switch (data.format) {
        case DataFormat::cifar10:
            return load_cifar10(data.dir, train ? "train" : "test", limit);
        case DataFormat::stl10:
            return load_stl10(data.dir, train ? "train" : "test", limit);
        case DataFormat::idx:
            break;
    }
    return load_fashion_mnist(data.dir, train ? "train" : "t10k", limit);
}

// Images [first, first + count) of `set`.
Dataset slice(const Dataset& set, std::size_t first, std::size_t count) {
    Dataset part = set;
    const std::size_t n = set.pixels_per_image();
    part.pixels.assign(set.pixels.begin() + static_cast<std::ptrdiff_t>(first * n),
                       set.pixels.begin() + static_cast<std::ptrdiff_t>((first + count) * n));
    part.labels.assign(set.labels.begin() + static_cast<std::ptrdiff_t>(first),
                       set.labels.begin() + static_cast<std::ptrdiff_t>(first + count));
    return part;
}

}  // namespace

Dataset load_configured_dataset(const DataConfig& data, bool train) {
    if (data.validation_images == 0) return load_split(data, train, train ? data.train_images : data.test_images);
    const Dataset all = load_split(data, true, 0);
    if (all.size() <= data.validation_images) {
        throw ConfigError("data.validation_images: " + std::to_string(data.validation_images) +
                          " held out of the training split in " + data.dir + " leaves nothing to train on: expected " +
                          "fewer than its " + std::to_string(all.size()) + " images");
    }
    const std::size_t rest = all.size() - data.validation_images;
    if (!train) return slice(all, rest, data.validation_images);
    return slice(all, 0, data.train_images == 0 ? rest : std::min(data.train_images, rest));
}

}  // namespace softspike
