// libFuzzer target: the IDX reader (gzip inflation, header and size validation) on arbitrary bytes.
// Anything but a DataError escaping, a crash, a leak or undefined behaviour is a finding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/errors.hpp"
#include "io/idx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    for (const std::size_t dimensions : {std::size_t{1}, std::size_t{3}}) {
        try {
            const softspike::IdxArray array = softspike::parse_idx(
                softspike::inflate_if_gzipped(std::vector<std::uint8_t>(data, data + size), "fuzz"), dimensions,
                "fuzz");
            // A parse that succeeds must be self-consistent.
            std::uint64_t count = 1;
            for (const auto d : array.dimensions) count *= d;
            if (count != array.data.size() || array.dimensions.size() != dimensions) __builtin_trap();
        } catch (const softspike::DataError&) {
        }
    }
    return 0;
}
