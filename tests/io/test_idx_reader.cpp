#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/dataset_loader.hpp"
#include "io/idx_reader.hpp"

using namespace softspike;
namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> idx_bytes(std::vector<std::uint32_t> dims, const std::vector<std::uint8_t>& data) {
    std::vector<std::uint8_t> out{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    for (const auto d : dims) {
        for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(d >> shift));
    }
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

fs::path temp_path(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("softspike_test_idx." + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}

void write_raw(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_gz(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
}

std::vector<std::uint8_t> read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string error_of(const fs::path& path, std::size_t dims) {
    try {
        (void)read_idx(path, dims);
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

// 3 images of 2x2 pixels and their labels.
const std::vector<std::uint8_t> kPixels{0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0};
const std::vector<std::uint8_t> kLabels{7, 0, 9};

}  // namespace

TEST_CASE("IDX files are read the same raw and gzip-compressed") {
    const auto images = idx_bytes({3, 2, 2}, kPixels);
    write_raw(temp_path("img.idx"), images);
    write_gz(temp_path("img.idx.gz"), images);
    const IdxArray raw = read_idx(temp_path("img.idx"), 3);
    const IdxArray gz = read_idx(temp_path("img.idx.gz"), 3);
    CHECK(raw.dimensions == std::vector<std::uint32_t>{3, 2, 2});
    CHECK(raw.data == kPixels);
    CHECK(gz.dimensions == raw.dimensions);
    CHECK(gz.data == raw.data);
}

TEST_CASE("a dataset pairs images with labels and scales pixels to [0, 1]") {
    write_gz(temp_path("ds-images.gz"), idx_bytes({3, 2, 2}, kPixels));
    write_gz(temp_path("ds-labels.gz"), idx_bytes({3}, kLabels));
    const Dataset set = load_idx_dataset(temp_path("ds-images.gz"), temp_path("ds-labels.gz"), 0);
    CHECK(set.size() == 3);
    CHECK(set.pixels_per_image() == 4);
    CHECK(set.image(0)[1] == doctest::Approx(1.0));
    CHECK(set.image(0)[2] == doctest::Approx(0.2));
    CHECK(set.labels == kLabels);
    const Dataset two = load_idx_dataset(temp_path("ds-images.gz"), temp_path("ds-labels.gz"), 2);
    CHECK(two.size() == 2);
}

TEST_CASE("data.validation_images holds out the training split's last images and never trains on them") {
    const fs::path dir = temp_path("validation");
    fs::create_directories(dir);
    write_gz(dir / "train-images-idx3-ubyte.gz", idx_bytes({3, 2, 2}, kPixels));
    write_gz(dir / "train-labels-idx1-ubyte.gz", idx_bytes({3}, kLabels));
    // A test split that must not be read: its labels are out of range.
    write_gz(dir / "t10k-images-idx3-ubyte.gz", idx_bytes({1, 2, 2}, {0, 0, 0, 0}));
    write_gz(dir / "t10k-labels-idx1-ubyte.gz", idx_bytes({1}, {200}));
    DataConfig data;
    data.dir = dir.string();
    data.validation_images = 1;
    const Dataset held = load_configured_dataset(data, false);
    REQUIRE(held.size() == 1);
    CHECK(held.labels[0] == 9);
    CHECK(held.image(0)[0] == doctest::Approx(1.0));            // image 2's first pixel, 255
    const Dataset train = load_configured_dataset(data, true);  // train_images 60000: all of the rest
    REQUIRE(train.size() == 2);
    CHECK(train.labels == std::vector<std::uint8_t>{7, 0});
    CHECK(train.image(1)[3] == doctest::Approx(4.0 / 255.0));
    data.train_images = 1;
    CHECK(load_configured_dataset(data, true).labels == std::vector<std::uint8_t>{7});
    data.validation_images = 0;
    CHECK_THROWS_AS(load_configured_dataset(data, false), DataError);  // the test split is read now
    data.validation_images = 3;
    const std::string expected = "data.validation_images: 3 held out of the training split in " + dir.string() +
                                 " leaves nothing to train on: expected fewer than its 3 images";
    CHECK_THROWS_WITH_AS(load_configured_dataset(data, true), doctest::Contains(expected.c_str()), ConfigError);
}

TEST_CASE("a truncated IDX file names the file and the offset") {
    auto images = idx_bytes({3, 2, 2}, kPixels);
    images.resize(images.size() - 5);
    write_raw(temp_path("short.idx"), images);
    const std::string message = error_of(temp_path("short.idx"), 3);
    CHECK(message.find("short.idx") != std::string::npos);
    CHECK(message.find("promises 12 bytes from offset 16, found 7") != std::string::npos);
    CHECK(message.find("truncated at offset 23") != std::string::npos);
}

TEST_CASE("a truncated gzip stream names the compressed offset") {
    write_gz(temp_path("full.gz"), idx_bytes({3, 2, 2}, kPixels));
    auto bytes = read_all(temp_path("full.gz"));
    bytes.resize(bytes.size() - 6);
    write_raw(temp_path("cut.gz"), bytes);
    const std::string message = error_of(temp_path("cut.gz"), 3);
    CHECK(message.find("cut.gz") != std::string::npos);
    CHECK(message.find("truncated gzip stream") != std::string::npos);
    CHECK(message.find("byte " + std::to_string(bytes.size())) != std::string::npos);
}

TEST_CASE("a corrupt gzip stream is an error, not wrong data") {
    write_gz(temp_path("full2.gz"), idx_bytes({3, 2, 2}, kPixels));
    auto bytes = read_all(temp_path("full2.gz"));
    bytes[bytes.size() - 6] ^= 0xFF;  // inside the CRC-32 of the trailer
    write_raw(temp_path("bad.gz"), bytes);
    const std::string message = error_of(temp_path("bad.gz"), 3);
    CHECK(message.find("corrupt gzip stream") != std::string::npos);
    CHECK(message.find("bad.gz") != std::string::npos);
}

TEST_CASE("wrong magic, element type or dimension count are reported with their offset") {
    auto bytes = idx_bytes({3, 2, 2}, kPixels);
    bytes[0] = 0x1F;
    bytes[1] = 0x00;
    write_raw(temp_path("magic.idx"), bytes);
    CHECK(error_of(temp_path("magic.idx"), 3).find("bad IDX magic at offset 0: expected 0x00 0x00, found 0x1f 0x00") !=
          std::string::npos);
    bytes = idx_bytes({3, 2, 2}, kPixels);
    bytes[2] = 0x0D;
    write_raw(temp_path("type.idx"), bytes);
    CHECK(error_of(temp_path("type.idx"), 3).find("offset 2") != std::string::npos);
    write_raw(temp_path("dims.idx"), idx_bytes({12}, kPixels));
    CHECK(error_of(temp_path("dims.idx"), 3).find("wrong IDX dimension count at offset 3: expected 3, found 1") !=
          std::string::npos);
    CHECK(error_of(temp_path("missing.idx"), 3).find("cannot open") != std::string::npos);
}

TEST_CASE("image and label files that disagree, or labels out of range, are rejected") {
    write_gz(temp_path("i3.gz"), idx_bytes({3, 2, 2}, kPixels));
    write_gz(temp_path("l2.gz"), idx_bytes({2}, {1, 2}));
    CHECK_THROWS_WITH_AS(load_idx_dataset(temp_path("i3.gz"), temp_path("l2.gz"), 0),
                         doctest::Contains("label count 2 does not match the image count 3"), DataError);
    write_gz(temp_path("l3bad.gz"), idx_bytes({3}, {1, 10, 2}));
    CHECK_THROWS_WITH_AS(load_idx_dataset(temp_path("i3.gz"), temp_path("l3bad.gz"), 0),
                         doctest::Contains("label 10 at offset 9 is out of range"), DataError);
}
