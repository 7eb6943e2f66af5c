#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace softspike {

// A NIR value as messages and metadata show it: shortest exact form, 17 significant digits at most ("2.5",
// "nan", "1e+300").
inline std::string nir_number(double v) {
    std::ostringstream out;
    out.precision(17);
    out << v;
    return out.str();
}

// One parameter of a NIR node: a dense array (row-major) of float32 or int64 values, as NIR stores them.
struct NirArray {
    enum class Kind : std::uint8_t { float32, int64 };
    Kind kind = Kind::float32;
    std::vector<std::size_t> shape;  // empty: a scalar
    std::vector<double> values;      // shape's product of them

    [[nodiscard]] static NirArray floats(std::vector<std::size_t> shape, std::vector<double> values) {
        return {Kind::float32, std::move(shape), std::move(values)};
    }
    [[nodiscard]] static NirArray integers(std::vector<std::size_t> shape, std::vector<double> values) {
        return {Kind::int64, std::move(shape), std::move(values)};
    }
    friend bool operator==(const NirArray&, const NirArray&) = default;
};

// One node of a NIR graph (Neuromorphic Intermediate Representation): its type ("Input", "Affine", "LIF", ...),
// its parameters under NIR's names, and what NIR cannot express of it as metadata strings.
struct NirNode {
    std::string type;
    std::map<std::string, NirArray> parameters;
    std::map<std::string, std::string> metadata;
    friend bool operator==(const NirNode&, const NirNode&) = default;
};

// A NIR graph as its HDF5 file lays it out (io/nir_file): named nodes, edges between their names, and the
// graph's own metadata.
struct NirGraph {
    std::string version = "1.0.0";  // the NIR format version the file declares
    std::map<std::string, NirNode> nodes;
    std::vector<std::pair<std::string, std::string>> edges;
    std::map<std::string, std::string> metadata;
    friend bool operator==(const NirGraph&, const NirGraph&) = default;
};

}  // namespace softspike
