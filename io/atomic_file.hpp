#pragma once
#include <filesystem>
#include <string_view>

namespace softspike {

// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never half of one:
// the bytes go to a temporary file in the same directory, which is fsync'ed and then renamed over `path`.
// Throws OutputError naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace softspike
