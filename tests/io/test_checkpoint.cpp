#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "io/checkpoint.hpp"
#include "core/errors.hpp"

using namespace softspike;
namespace fs = std::filesystem;

namespace {
fs::path temp_path(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("softspike_test_ckpt." + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir / name;
}
std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_all(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
}  // namespace

TEST_CASE("a checkpoint round-trips weights and biases bit-exactly and leaves no temporary file") {
    NetworkModel model = make_initial_model(7, 3, 1000, 2.5, 42);
    model.biases = {0.25F, -1.0F, 1e-30F};
    // A directory of its own: the other checkpoint test may have a temporary file in flight in the shared one.
    const fs::path dir = fs::temp_directory_path() / ("softspike_test_ckpt_roundtrip." + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path path = dir / "model.ckpt";
    save_checkpoint(path, model);
    const NetworkModel back = load_checkpoint(path);
    CHECK(back.weights.sources() == 7);
    CHECK(back.weights.targets() == 3);
    CHECK(back.weights.delay() == 1000);
    CHECK(back.weights.weights() == model.weights.weights());
    CHECK(back.biases == model.biases);
    for (const auto& entry : fs::directory_iterator(path.parent_path())) {
        CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
    }
}

TEST_CASE("damaged checkpoints are rejected with the reason") {
    const fs::path good = temp_path("good.ckpt");
    save_checkpoint(good, make_initial_model(4, 2, 0, 1.0, 1));
    const std::string bytes = read_all(good);

    write_all(temp_path("short.ckpt"), bytes.substr(0, bytes.size() - 9));
    CHECK_THROWS_WITH_AS(load_checkpoint(temp_path("short.ckpt")), doctest::Contains("(truncated)"), CheckpointError);

    std::string flipped = bytes;
    flipped[40] = static_cast<char>(flipped[40] ^ 0x10);
    write_all(temp_path("flip.ckpt"), flipped);
    CHECK_THROWS_WITH_AS(load_checkpoint(temp_path("flip.ckpt")), doctest::Contains("checksum mismatch"),
                         CheckpointError);

    std::string newer = bytes;
    newer[8] = 2;
    write_all(temp_path("newer.ckpt"), newer);
    CHECK_THROWS_WITH_AS(load_checkpoint(temp_path("newer.ckpt")), doctest::Contains("is newer than this build reads"),
                         CheckpointError);

    write_all(temp_path("magic.ckpt"), "NOTACKPT" + bytes.substr(8));
    CHECK_THROWS_WITH_AS(load_checkpoint(temp_path("magic.ckpt")), doctest::Contains("expected magic SSPKCKPT"),
                         CheckpointError);
    CHECK_THROWS_WITH_AS(load_checkpoint(temp_path("absent.ckpt")), doctest::Contains("cannot open"), CheckpointError);
}
