// NIR files: what is written is read back whole, in NIR's layout; a file that is not one is refused naming the
// file and the dataset.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/errors.hpp"
#include "io/nir_file.hpp"
#include "process.hpp"

using namespace softspike;
namespace fs = std::filesystem;

namespace {

NirGraph small_graph() {
    NirGraph g;
    NirNode in;
    in.type = "Input";
    in.parameters["shape"] = NirArray::integers({1}, {3});
    NirNode affine;
    affine.type = "Affine";
    affine.parameters["weight"] = NirArray::floats({2, 3}, {0.5, -1.25, 2.0, 0.0, 3.5, -0.125});
    affine.parameters["bias"] = NirArray::floats({2}, {0.25, -0.5});
    affine.metadata["softspike"] = "drives of a soft-WTA: é, ü (UTF-8)";
    NirNode out;
    out.type = "Output";
    out.parameters["shape"] = NirArray::integers({1}, {2});
    g.nodes = {{"input", in}, {"affine", affine}, {"output", out}};
    g.edges = {{"input", "affine"}, {"affine", "output"}};
    g.metadata["producer"] = "softspike";
    return g;
}

}  // namespace

TEST_CASE("a NIR graph written to HDF5 reads back equal: nodes, parameters, shapes, kinds, edges and metadata") {
    const fs::path path = testing::scratch("softspike_test_nir", "round_trip") / "small.nir";
    const NirGraph g = small_graph();
    write_nir_file(path, g);
    CHECK(read_nir_file(path) == g);
    // Nothing is left beside it.
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(path.parent_path())) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
    // A second write replaces the file whole.
    NirGraph changed = g;
    changed.nodes["affine"].parameters["bias"].values[0] = 7.0;
    write_nir_file(path, changed);
    CHECK(read_nir_file(path) == changed);
}

TEST_CASE("a file that is not a NIR graph is a CheckpointError naming the file and what is wrong") {
    const fs::path dir = testing::scratch("softspike_test_nir", "bad");
    CHECK_THROWS_WITH_AS(read_nir_file(dir / "absent.nir"), doctest::Contains("absent.nir: no such file"),
                         CheckpointError);
    {
        std::ofstream text(dir / "text.nir");
        text << "not hdf5";
    }
    CHECK_THROWS_WITH_AS(read_nir_file(dir / "text.nir"), doctest::Contains("not an HDF5 file"), CheckpointError);
    // Truncated: the first half of a real file.
    write_nir_file(dir / "whole.nir", small_graph());
    const std::string bytes = testing::slurp(dir / "whole.nir");
    {
        std::ofstream half(dir / "half.nir", std::ios::binary);
        half.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    }
    CHECK_THROWS_AS(read_nir_file(dir / "half.nir"), CheckpointError);
    // An edge to a node the graph does not have.
    NirGraph dangling = small_graph();
    dangling.edges.emplace_back("affine", "nowhere");
    write_nir_file(dir / "dangling.nir", dangling);
    CHECK_THROWS_WITH_AS(read_nir_file(dir / "dangling.nir"),
                         doctest::Contains("/node/edges: an edge to \"nowhere\", which is no node"), CheckpointError);
    // An unwritable place is an OutputError naming the path.
    CHECK_THROWS_AS(write_nir_file(dir / "no_such_dir" / "x.nir", small_graph()), OutputError);
}
