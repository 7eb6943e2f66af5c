#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/dataset.hpp"

namespace softspike {

// CIFAR-10's binary version ("cifar-10-batches-bin"): records of one label byte (0-9) then 3,072 pixel bytes,
// the red, green and blue 32 x 32 planes in turn, each row-major; the layout our Dataset keeps (channels first).
inline constexpr std::size_t kCifarSide = 32;
inline constexpr std::size_t kCifarRecordBytes = 1 + 3 * kCifarSide * kCifarSide;

// Appends the records of `bytes` (the contents of the file `name`) to `into`, at most `limit` images in all
// (0: no limit). A size that is not a whole number of records, or a label above 9, is a DataError naming the
// file, the byte offset, what was expected and what was found.
void append_cifar10_records(const std::vector<std::uint8_t>& bytes, const std::string& name, std::size_t limit,
                            Dataset& into);

// The official split in `dir`: "train" is data_batch_1.bin to data_batch_5.bin (50,000 images), "test" is
// test_batch.bin (10,000); files may be gzipped. At most `limit` images (0: all).
Dataset load_cifar10(const std::filesystem::path& dir, const std::string& split, std::size_t limit);

}  // namespace softspike
