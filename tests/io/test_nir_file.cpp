// NIR files: what is written is read back whole, in NIR's layout; a file that is not one is refused naming the
// file and the dataset.
#include <doctest/doctest.h>
#include <hdf5.h>

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
    // An edge to a node the file does not have (our writer refuses to write one; another tool's file, made here
    // by deleting the node's group with the HDF5 library, can hold one).
    NirGraph dangling = small_graph();
    dangling.nodes["nowhere"].type = "Output";
    dangling.edges.emplace_back("affine", "nowhere");
    write_nir_file(dir / "dangling.nir", dangling);
    {
        const hid_t file = H5Fopen((dir / "dangling.nir").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        REQUIRE(file >= 0);
        CHECK(H5Ldelete(file, "/node/nodes/nowhere", H5P_DEFAULT) >= 0);
        H5Fclose(file);
    }
    CHECK_THROWS_WITH_AS(read_nir_file(dir / "dangling.nir"),
                         doctest::Contains("/node/edges: an edge to \"nowhere\", which is no node"), CheckpointError);
    // A dataset that declares a million values and stores none (HDF5 would read it back as zeros).
    write_nir_file(dir / "unwritten.nir", small_graph());
    {
        const hid_t file = H5Fopen((dir / "unwritten.nir").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        REQUIRE(file >= 0);
        CHECK(H5Ldelete(file, "/node/nodes/affine/bias", H5P_DEFAULT) >= 0);
        const hsize_t dims[2] = {1000, 1000};
        const hid_t space = H5Screate_simple(2, dims, nullptr);
        const hid_t d = H5Dcreate2(file, "/node/nodes/affine/bias", H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT,
                                   H5P_DEFAULT);
        CHECK(d >= 0);
        H5Dclose(d);
        H5Sclose(space);
        H5Fclose(file);
    }
    CHECK_THROWS_WITH_AS(read_nir_file(dir / "unwritten.nir"),
                         doctest::Contains("/node/nodes/affine/bias: declares 1000000 values (4000000 bytes) but "
                                           "stores 0 bytes"),
                         CheckpointError);
    // An unwritable place is an OutputError naming the path.
    CHECK_THROWS_AS(write_nir_file(dir / "no_such_dir" / "x.nir", small_graph()), OutputError);
}

TEST_CASE("what HDF5 cannot hold is refused before anything is written, naming the node or key") {
    const fs::path dir = testing::scratch("softspike_test_nir", "refused");
    const auto refused = [&](const NirGraph& g, const std::string& message) {
        CHECK_THROWS_WITH_AS(write_nir_file(dir / "x.nir", g), doctest::Contains(message.c_str()), OutputError);
        CHECK(fs::is_empty(dir));  // neither the file nor a temporary one
    };
    NirGraph slash = small_graph();
    slash.nodes["a/b"].type = "Output";
    refused(slash, "/node/nodes: the name \"a/b\" cannot be an HDF5 link name");
    NirGraph empty = small_graph();
    empty.nodes[""].type = "Output";
    refused(empty, "the name \"\" cannot be an HDF5 link name");
    NirGraph reserved = small_graph();
    reserved.nodes["affine"].parameters["type"] = NirArray::floats({1}, {1.0});
    refused(reserved, "/node/nodes/affine/type: a parameter named like the node's own type");
    NirGraph nul = small_graph();
    nul.nodes["affine"].metadata["note"] = std::string("a\0b", 3);
    refused(nul, "/node/nodes/affine/metadata/note: a text with a NUL byte");
    NirGraph edge = small_graph();
    edge.edges.emplace_back("output", "nowhere");
    refused(edge, "/node/edges: an edge to \"nowhere\", which is no node");
    NirGraph count = small_graph();
    count.nodes["affine"].parameters["bias"].values.push_back(1.0);
    refused(count, "/node/nodes/affine/bias: the shape holds 2 values, found 3");
    NirGraph integer = small_graph();
    integer.nodes["input"].parameters["shape"].values[0] = 2.5;
    refused(integer, "/node/nodes/input/shape: an integer array holding 2.5");
}
