// libFuzzer target: the NIR file reader on arbitrary bytes written to a file. A file it reads must write and
// read back as the same graph. The bytes are parsed by libhdf5 (not instrumented): a crash inside it is
// HDF5's own, and scripts/fuzz.sh reports it like any other.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.hpp"
#include "io/nir_file.hpp"

namespace {

// NaN stays NaN through a file, so equality of values allows it.
bool same(const softspike::NirGraph& a, const softspike::NirGraph& b) {
    if (a.version != b.version || a.edges != b.edges || a.metadata != b.metadata || a.nodes.size() != b.nodes.size()) {
        return false;
    }
    for (const auto& [name, n] : a.nodes) {
        const auto it = b.nodes.find(name);
        if (it == b.nodes.end() || it->second.type != n.type || it->second.metadata != n.metadata) return false;
        for (const auto& [key, value] : n.parameters) {
            const auto p = it->second.parameters.find(key);
            if (p == it->second.parameters.end() || p->second.shape != value.shape ||
                p->second.values.size() != value.values.size()) {
                return false;
            }
            for (std::size_t i = 0; i < value.values.size(); ++i) {
                const double x = value.values[i];
                const double y = p->second.values[i];
                if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
            }
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path in =
        std::filesystem::temp_directory_path() / ("fuzz_nir_file." + std::to_string(getpid()) + ".in.nir");
    static const std::filesystem::path out =
        std::filesystem::temp_directory_path() / ("fuzz_nir_file." + std::to_string(getpid()) + ".out.nir");
    {
        std::ofstream f(in, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    softspike::NirGraph graph;
    try {
        graph = softspike::read_nir_file(in);
    } catch (const softspike::CheckpointError&) {
        return 0;
    }
    // Another producer may store integers as int32 or floats as float64: what we write back is float32 and int64,
    // so the graph read back from our file must equal the first one read back from it.
    try {
        softspike::write_nir_file(out, graph);
    } catch (const softspike::OutputError&) {
        return 0;  // a name HDF5 will not create (checked by fuzz_nir_graph for the names we write)
    }
    const softspike::NirGraph once = softspike::read_nir_file(out);
    softspike::write_nir_file(out, once);
    if (!same(softspike::read_nir_file(out), once)) __builtin_trap();
    return 0;
}
