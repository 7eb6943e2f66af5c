#include "io/cifar10_reader.hpp"

#include "core/errors.hpp"
#include "io/idx_reader.hpp"

namespace softspike {

void append_cifar10_records(const std::vector<std::uint8_t>& bytes, const std::string& name, std::size_t limit,
                            Dataset& into) {
    if (bytes.size() % kCifarRecordBytes != 0) {
        const std::size_t whole = bytes.size() / kCifarRecordBytes;
        throw DataError(name + ": truncated CIFAR-10 record at byte offset " + std::to_string(whole * kCifarRecordBytes) +
                        ": expected records of " + std::to_string(kCifarRecordBytes) + " bytes, found " +
                        std::to_string(bytes.size() - whole * kCifarRecordBytes) + " bytes after " +
                        std::to_string(whole) + " whole records");
    }
    into.channels = 3;
    into.rows = kCifarSide;
    into.cols = kCifarSide;
    into.classes = 10;
    const std::size_t pixels = kCifarRecordBytes - 1;
    for (std::size_t at = 0; at < bytes.size(); at += kCifarRecordBytes) {
        if (limit != 0 && into.size() >= limit) return;
        if (bytes[at] >= 10) {
            throw DataError(name + ": label " + std::to_string(bytes[at]) + " at byte offset " + std::to_string(at) +
                            " is out of range: expected 0 to 9");
        }
        into.labels.push_back(bytes[at]);
        for (std::size_t p = 0; p < pixels; ++p) into.pixels.push_back(static_cast<float>(bytes[at + 1 + p]) / 255.0F);
    }
}

Dataset load_cifar10(const std::filesystem::path& dir, const std::string& split, std::size_t limit) {
    std::vector<std::string> files;
    if (split == "train") {
        for (int i = 1; i <= 5; ++i) files.push_back("data_batch_" + std::to_string(i) + ".bin");
    } else if (split == "test") {
        files.emplace_back("test_batch.bin");
    } else {
        throw DataError("CIFAR-10: unknown split \"" + split + "\": expected train or test");
    }
    Dataset set;
    for (const std::string& file : files) {
        if (limit != 0 && set.size() >= limit) break;
        const std::filesystem::path path = dir / file;
        append_cifar10_records(read_maybe_gzipped(path), path.string(), limit, set);
    }
    return set;
}

}  // namespace softspike
