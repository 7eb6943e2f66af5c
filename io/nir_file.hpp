#pragma once
#include <filesystem>

#include "run/nir_graph.hpp"

namespace softspike {

// NIR's HDF5 layout (the format neuromorphs/NIR reads and writes): a root dataset `version` (a variable-length
// UTF-8 string) and a group `node` holding the graph: its `type` "NIRGraph", a group `nodes` with one group per
// node (its `type` and one dataset per parameter: float32 or int64 arrays, a 1-element int64 array for a
// shape), `edges` (an E x 2 dataset of variable-length strings, source then target) and `metadata` groups of
// strings. Written to a temporary file in the same directory and renamed into place; OutputError names the
// path on failure.
void write_nir_file(const std::filesystem::path& path, const NirGraph& graph);

// Reads such a file back. A missing file, one that is not HDF5, a missing or mistyped dataset, an edge naming
// no node: CheckpointError naming the file and the dataset's path in it.
[[nodiscard]] NirGraph read_nir_file(const std::filesystem::path& path);

}  // namespace softspike
