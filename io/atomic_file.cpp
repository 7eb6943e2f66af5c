#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/errors.hpp"

namespace softspike {

namespace {
[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
    throw OutputError("cannot write '" + path.string() + "': " + what + ": " + std::strerror(errno));
}
}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    // Built by append: GCC 12 warns falsely (-Wrestrict, bug 105651) on "literal" + std::string.
    std::string name = path.filename().string();
    name.insert(0, 1, '.');
    name.append(".tmp.XXXXXX");
    std::string temp = (dir / name).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) fail(path, "creating temporary file " + temp);
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            ::unlink(temp.c_str());
            fail(path, "writing temporary file " + temp);
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
        ::close(fd);
        ::unlink(temp.c_str());
        fail(path, "syncing temporary file " + temp);
    }
    if (::close(fd) != 0) {
        ::unlink(temp.c_str());
        fail(path, "closing temporary file " + temp);
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
        fail(path, "renaming " + temp + " into place");
    }
    // Make the rename itself durable.
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
}

std::size_t remove_stale_temporaries(const std::filesystem::path& dir) {
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto at = name.rfind(".tmp.");
        // The pattern of write_file_atomically: a leading dot, ".tmp." and the six characters of mkstemp.
        if (name.size() > 1 && name[0] == '.' && at != std::string::npos && at + 11 == name.size() &&
            entry.is_regular_file(ec)) {
            removed += std::filesystem::remove(entry.path(), ec) ? 1 : 0;
        }
    }
    return removed;
}

}  // namespace softspike
