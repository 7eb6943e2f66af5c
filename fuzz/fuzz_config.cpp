// libFuzzer target: the JSON config reader and validator on arbitrary text. A config that validates must
// survive the round trip through config_to_json unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/config_file.hpp"
#include "run/config.hpp"
#include "core/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const nlohmann::json document =
            softspike::parse_json_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
        const softspike::Config config = softspike::parse_config(document, "fuzz");
        const nlohmann::json written = softspike::config_to_json(config);
        if (softspike::config_to_json(softspike::parse_config(written, "round trip")) != written) __builtin_trap();
    } catch (const softspike::ConfigError&) {
    }
    return 0;
}
