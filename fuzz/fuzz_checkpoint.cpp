// libFuzzer target: the weights and training checkpoint readers (single-layer and deep) on arbitrary bytes. A file that reads
// back must encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/checkpoint.hpp"
#include "core/errors.hpp"
#include "io/deep_checkpoint.hpp"
#include "io/deep_training_checkpoint.hpp"
#include "io/training_checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        const softspike::NetworkModel model = softspike::decode_checkpoint(bytes, "fuzz");
        if (softspike::encode_checkpoint(model) != bytes) __builtin_trap();
    } catch (const softspike::CheckpointError&) {
    }
    try {
        const softspike::ResumePoint point = softspike::decode_training_checkpoint(bytes, "fuzz");
        // The stored config text may be formatted differently, so compare a second round trip with the first.
        const std::string once = softspike::encode_training_checkpoint(point.config, point.state);
        const softspike::ResumePoint again = softspike::decode_training_checkpoint(once, "again");
        if (softspike::encode_training_checkpoint(again.config, again.state) != once) __builtin_trap();
    } catch (const softspike::CheckpointError&) {
    }
    try {
        const softspike::DeepWeights weights = softspike::decode_deep_checkpoint(bytes, "fuzz");
        if (softspike::encode_deep_checkpoint(weights) != bytes) __builtin_trap();
    } catch (const softspike::CheckpointError&) {
    }
    try {
        const softspike::DeepResumePoint point = softspike::decode_deep_training_checkpoint(bytes, "fuzz");
        const std::string once = softspike::encode_deep_training_checkpoint(point.config, point.state);
        const softspike::DeepResumePoint again = softspike::decode_deep_training_checkpoint(once, "again");
        if (softspike::encode_deep_training_checkpoint(again.config, again.state) != once) __builtin_trap();
    } catch (const softspike::CheckpointError&) {
    }
    return 0;
}
