#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/errors.hpp"
#include "io/cifar10_reader.hpp"
#include "io/stl10_reader.hpp"
#include "colour_files.hpp"
#include "process.hpp"

using namespace softspike;
using softspike::testing::cifar_records;
using softspike::testing::pixel_byte;
using softspike::testing::write_bytes;
namespace fs = std::filesystem;


TEST_CASE("CIFAR-10's binary batches load channels first, across the five training files, up to a limit") {
    const fs::path dir = softspike::testing::scratch("colour_datasets", "cifar");
    fs::create_directories(dir);
    for (std::size_t b = 1; b <= 5; ++b) write_bytes(dir / ("data_batch_" + std::to_string(b) + ".bin"), cifar_records((b - 1) * 3, 3));
    write_bytes(dir / "test_batch.bin", cifar_records(100, 2));
    const Dataset train = load_cifar10(dir, "train", 0);
    REQUIRE(train.size() == 15);
    CHECK(train.channels == 3);
    CHECK(train.rows == 32);
    CHECK(train.pixels_per_image() == 3072);
    for (const std::size_t i : {0UL, 4UL, 14UL}) {
        CHECK(train.labels[i] == i % 10);
        const auto image = train.image(i);
        for (const auto& [c, y, x] : {std::tuple{0UL, 0UL, 0UL}, {1UL, 2UL, 5UL}, {2UL, 31UL, 30UL}}) {
            CHECK(image[c * 1024 + y * 32 + x] == static_cast<float>(pixel_byte(i, c, y, x)) / 255.0F);
        }
    }
    CHECK(load_cifar10(dir, "train", 4).size() == 4);
    const Dataset test = load_cifar10(dir, "test", 0);
    REQUIRE(test.size() == 2);
    CHECK(test.labels[1] == 101 % 10);

    std::vector<std::uint8_t> truncated = cifar_records(0, 2);
    truncated.resize(truncated.size() - 100);
    write_bytes(dir / "data_batch_2.bin", truncated);
    CHECK_THROWS_WITH_AS(load_cifar10(dir, "train", 0),
                         doctest::Contains("data_batch_2.bin: truncated CIFAR-10 record at byte offset 3073: expected "
                                           "records of 3073 bytes, found 2973 bytes after 1 whole records"),
                         DataError);
    std::vector<std::uint8_t> bad_label = cifar_records(0, 2);
    bad_label[3073] = 10;
    write_bytes(dir / "data_batch_2.bin", bad_label);
    CHECK_THROWS_WITH_AS(load_cifar10(dir, "train", 0),
                         doctest::Contains("data_batch_2.bin: label 10 at byte offset 3073 is out of range"), DataError);
    fs::remove(dir / "data_batch_3.bin");
    write_bytes(dir / "data_batch_2.bin", cifar_records(0, 2));
    CHECK_THROWS_WITH_AS(load_cifar10(dir, "train", 0), doctest::Contains("data_batch_3.bin: cannot open file"),
                         DataError);
}

TEST_CASE("STL-10's column-major planes load row-major, labels 1-10 become 0-9, and bad files are named") {
    constexpr std::size_t side = 96;
    std::vector<std::uint8_t> images;
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t c = 0; c < 3; ++c) {
            for (std::size_t x = 0; x < side; ++x) {  // column-major: the row index runs fastest
                for (std::size_t y = 0; y < side; ++y) images.push_back(pixel_byte(i, c, y, x));
            }
        }
    }
    const std::vector<std::uint8_t> labels{1, 10, 4};
    const Dataset set = parse_stl10(images, "train_X.bin", labels, "train_y.bin", 0);
    REQUIRE(set.size() == 3);
    CHECK(set.channels == 3);
    CHECK(set.rows == side);
    CHECK(set.labels == std::vector<std::uint8_t>{0, 9, 3});
    for (std::size_t i = 0; i < 3; ++i) {
        const auto image = set.image(i);
        for (const auto& [c, y, x] : {std::tuple{0UL, 0UL, 1UL}, {1UL, 7UL, 2UL}, {2UL, 95UL, 40UL}}) {
            CHECK(image[(c * side + y) * side + x] == static_cast<float>(pixel_byte(i, c, y, x)) / 255.0F);
        }
    }
    CHECK(parse_stl10(images, "x", labels, "y", 2).size() == 2);
    CHECK_THROWS_WITH_AS(parse_stl10(images, "x", {1, 2}, "train_y.bin", 0),
                         doctest::Contains("train_y.bin: expected one label byte per image of x (3), found 2"),
                         DataError);
    CHECK_THROWS_WITH_AS(parse_stl10(images, "x", {1, 0, 2}, "train_y.bin", 0),
                         doctest::Contains("train_y.bin: label 0 at byte offset 1 is out of range: expected 1 to 10"),
                         DataError);
    std::vector<std::uint8_t> short_images(images.begin(), images.end() - 5);
    CHECK_THROWS_WITH_AS(parse_stl10(short_images, "train_X.bin", labels, "y", 0),
                         doctest::Contains("train_X.bin: truncated STL-10 image at byte offset 55296"), DataError);
}
