#pragma once
#include <filesystem>
#include <string_view>

namespace softspike {

// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never half of one:
// the bytes go to a temporary file in the same directory, which is fsync'ed and then renamed over `path`.
// Throws OutputError naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// Removes the temporary files write_file_atomically leaves behind when the process is killed mid-write
// (".NAME.tmp.XXXXXX" in `dir`); returns how many it removed. For a run that resumes in `dir`.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

}  // namespace softspike
