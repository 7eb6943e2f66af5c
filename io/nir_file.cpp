#include "io/nir_file.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace softspike {

namespace {

// One HDF5 identifier, closed with its own function when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
    Handle& operator=(Handle&&) = delete;
    ~Handle() {
        if (id_ >= 0) close_(id_);
    }
    [[nodiscard]] hid_t get() const { return id_; }
    [[nodiscard]] bool valid() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

// HDF5 prints its own error stack to stderr by default; our messages name the file and the dataset instead.
void quiet_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle string_type() {
    Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(t.get(), H5T_VARIABLE);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
    return t;
}

// ---- writing ----

struct Writer {
    std::string file;  // for messages

    void check(herr_t status, const std::string& what) const {
        if (status < 0) throw OutputError(file + ": could not write " + what);
    }
    void check(hid_t id, const std::string& what) const {
        if (id < 0) throw OutputError(file + ": could not write " + what);
    }

    Handle group(hid_t parent, const std::string& name, const std::string& path) const {
        Handle g(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
        check(g.get(), path);
        return g;
    }

    void string(hid_t parent, const std::string& name, const std::string& value, const std::string& path) const {
        const Handle type = string_type();
        const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
        const Handle d(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
        check(d.get(), path);
        const char* text = value.c_str();
        check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), path);
    }

    void array(hid_t parent, const std::string& name, const NirArray& a, const std::string& path) const {
        std::vector<hsize_t> dims(a.shape.begin(), a.shape.end());
        const Handle space(a.shape.empty() ? H5Screate(H5S_SCALAR)
                                           : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                           H5Sclose);
        check(space.get(), path);
        const bool floats = a.kind == NirArray::Kind::float32;
        const Handle d(H5Dcreate2(parent, name.c_str(), floats ? H5T_IEEE_F32LE : H5T_STD_I64LE, space.get(),
                                  H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
        check(d.get(), path);
        if (floats) {
            const std::vector<float> v(a.values.begin(), a.values.end());
            check(H5Dwrite(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), path);
        } else {
            std::vector<long long> v(a.values.size());
            for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<long long>(a.values[i]);
            check(H5Dwrite(d.get(), H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), path);
        }
    }

    void metadata(hid_t parent, const std::map<std::string, std::string>& m, const std::string& path) const {
        if (m.empty()) return;  // as NIR writes it: no group for empty metadata
        const Handle g = group(parent, "metadata", path + "/metadata");
        for (const auto& [k, v] : m) string(g.get(), k, v, path + "/metadata/" + k);
    }

    // Refuses, before anything is written, what HDF5 cannot store or NIR's readers would read differently:
    // an empty name, one with '/' (a path separator) or "." (the group itself), a parameter named like the
    // node's own "type" or "metadata", a text with a NUL byte (HDF5's strings end at the first), an edge to a
    // name that is no node, a shape whose values do not fill it.
    void validate(const NirGraph& graph) const {
        const auto refuse = [&](const std::string& where, const std::string& what) {
            throw OutputError(file + ": " + where + ": " + what + "; nothing was written");
        };
        const auto name = [&](const std::string& n, const std::string& where) {
            if (n.empty() || n == "." || n.find('/') != std::string::npos || n.find('\0') != std::string::npos) {
                refuse(where, "the name \"" + n + "\" cannot be an HDF5 link name (expected no '/', no NUL byte, not "
                              "empty or \".\")");
            }
        };
        const auto text = [&](const std::string& t, const std::string& where) {
            if (t.find('\0') != std::string::npos) refuse(where, "a text with a NUL byte, which HDF5's strings cannot hold");
        };
        const auto metadata = [&](const std::map<std::string, std::string>& m, const std::string& where) {
            for (const auto& [k, v] : m) {
                name(k, where + "/metadata");
                text(v, where + "/metadata/" + k);
            }
        };
        text(graph.version, "/version");
        for (const auto& [n, node] : graph.nodes) {
            name(n, "/node/nodes");
            const std::string path = "/node/nodes/" + n;
            text(node.type, path + "/type");
            for (const auto& [key, a] : node.parameters) {
                name(key, path);
                if (key == "type" || key == "metadata") refuse(path + "/" + key, "a parameter named like the node's own " + key);
                std::size_t count = 1;
                for (const std::size_t d : a.shape) count *= d;
                if (a.kind == NirArray::Kind::int64) {
                    for (const double v : a.values) {
                        if (!(std::trunc(v) == v && std::fabs(v) < 9.2e18)) {
                            refuse(path + "/" + key, "an integer array holding " + nir_number(v) +
                                                         ", which is no 64-bit integer");
                        }
                    }
                }
                if (count != a.values.size()) {
                    refuse(path + "/" + key, "the shape holds " + std::to_string(count) + " values, found " +
                                                 std::to_string(a.values.size()));
                }
            }
            metadata(node.metadata, path);
        }
        for (const auto& [from, to] : graph.edges) {
            if (!graph.nodes.contains(from)) refuse("/node/edges", "an edge from \"" + from + "\", which is no node");
            if (!graph.nodes.contains(to)) refuse("/node/edges", "an edge to \"" + to + "\", which is no node");
        }
        metadata(graph.metadata, "/node");
    }

    void graph(hid_t file_id, const NirGraph& graph) const {
        string(file_id, "version", graph.version, "/version");
        const Handle node = group(file_id, "node", "/node");
        string(node.get(), "type", "NIRGraph", "/node/type");
        const Handle nodes = group(node.get(), "nodes", "/node/nodes");
        for (const auto& [name, n] : graph.nodes) {
            const std::string path = "/node/nodes/" + name;
            const Handle g = group(nodes.get(), name, path);
            string(g.get(), "type", n.type, path + "/type");
            for (const auto& [key, a] : n.parameters) array(g.get(), key, a, path + "/" + key);
            metadata(g.get(), n.metadata, path);
        }
        const Handle type = string_type();
        const hsize_t dims[2] = {graph.edges.size(), 2};
        const Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
        const Handle d(H5Dcreate2(node.get(), "edges", type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                       H5Dclose);
        check(d.get(), "/node/edges");
        std::vector<const char*> ends;
        for (const auto& [from, to] : graph.edges) {
            ends.push_back(from.c_str());
            ends.push_back(to.c_str());
        }
        if (!ends.empty()) check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ends.data()), "/node/edges");
        metadata(node.get(), graph.metadata, "/node");
    }
};

// ---- reading ----

struct Reader {
    std::string file;

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw CheckpointError(file + ": " + path + ": " + what);
    }

    Handle open_group(hid_t parent, const std::string& name, const std::string& path) const {
        if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) fail(path, "missing (expected a group)");
        Handle g(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose);
        if (!g.valid()) fail(path, "not a group");
        return g;
    }

    Handle open_dataset(hid_t parent, const std::string& name, const std::string& path) const {
        if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) <= 0) fail(path, "missing (expected a dataset)");
        H5O_info_t info;
        if (H5Oget_info_by_name(parent, name.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_DATASET) {
            fail(path, "not a dataset");
        }
        Handle d(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
        if (!d.valid()) fail(path, "cannot be opened");
        return d;
    }

    // The names of a group's members, in HDF5's name order.
    std::vector<std::string> members(hid_t group, const std::string& path) const {
        std::vector<std::string> out;
        const auto visit = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
            static_cast<std::vector<std::string>*>(data)->emplace_back(name);
            return 0;
        };
        if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit, &out) < 0) fail(path, "cannot be listed");
        return out;
    }

    bool is_group(hid_t parent, const std::string& name) const {
        H5O_info_t info;
        return H5Oget_info_by_name(parent, name.c_str(), &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_GROUP;
    }

    // A string dataset: variable-length or fixed-length, scalar.
    std::string string(hid_t parent, const std::string& name, const std::string& path) const {
        const Handle d = open_dataset(parent, name, path);
        const Handle type(H5Dget_type(d.get()), H5Tclose);
        if (H5Tget_class(type.get()) != H5T_STRING) fail(path, "expected a string");
        const Handle space(H5Dget_space(d.get()), H5Sclose);
        if (H5Sget_simple_extent_npoints(space.get()) != 1) fail(path, "expected one string");
        if (H5Tis_variable_str(type.get()) > 0) {
            const Handle memory = string_type();
            char* text = nullptr;
            const herr_t status = H5Dread(d.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text);
            if (status < 0 || text == nullptr) {
                if (text != nullptr) H5free_memory(text);  // a read that failed part way may have allocated it
                fail(path, "unreadable string");
            }
            std::string out(text);
            H5free_memory(text);
            return out;
        }
        const std::size_t size = H5Tget_size(type.get());
        if (size == 0 || size > (std::size_t{1} << 24U)) {
            fail(path, "a fixed-length string of " + std::to_string(size) + " bytes (expected 1 to 2^24)");
        }
        std::string out(size, '\0');
        if (H5Dread(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) fail(path, "unreadable string");
        if (const std::size_t end = out.find('\0'); end != std::string::npos) out.erase(end);
        return out;
    }

    NirArray array(hid_t parent, const std::string& name, const std::string& path) const {
        const Handle d = open_dataset(parent, name, path);
        const Handle type(H5Dget_type(d.get()), H5Tclose);
        const H5T_class_t cls = H5Tget_class(type.get());
        if (cls != H5T_FLOAT && cls != H5T_INTEGER) fail(path, "expected a float or integer array");
        const Handle space(H5Dget_space(d.get()), H5Sclose);
        const int rank = H5Sget_simple_extent_ndims(space.get());
        if (rank < 0 || rank > 8) fail(path, "unreadable shape");
        std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
        H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
        NirArray a;
        a.kind = cls == H5T_FLOAT ? NirArray::Kind::float32 : NirArray::Kind::int64;
        // Checked per dimension, so that a corrupt extent cannot wrap the product around to a small count.
        constexpr std::size_t kMaxValues = std::size_t{1} << 26U;
        std::size_t count = 1;
        for (const hsize_t v : dims) {
            if (v != 0 && count > kMaxValues / v) fail(path, "more than 2^26 values (a corrupt extent?)");
            a.shape.push_back(static_cast<std::size_t>(v));
            count *= static_cast<std::size_t>(v);
        }
        // A contiguous or compact dataset whose storage is short of its extent would read back as fill values
        // (HDF5 does not fail): a corrupt or truncated file, refused before its count is allocated.
        const Handle plist(H5Dget_create_plist(d.get()), H5Pclose);
        const H5D_layout_t layout = H5Pget_layout(plist.get());
        const std::size_t bytes = count * H5Tget_size(type.get());
        const hsize_t stored = H5Dget_storage_size(d.get());
        if ((layout == H5D_CONTIGUOUS || layout == H5D_COMPACT) && stored < bytes) {
            fail(path, "declares " + std::to_string(count) + " values (" + std::to_string(bytes) + " bytes) but stores " +
                           std::to_string(stored) + " bytes (truncated or corrupt?)");
        }
        a.values.resize(count);
        if (a.kind == NirArray::Kind::float32) {
            if (count > 0 && H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data()) < 0) {
                fail(path, "unreadable values (truncated?)");
            }
        } else {
            std::vector<long long> v(count);
            if (count > 0 && H5Dread(d.get(), H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0) {
                fail(path, "unreadable values (truncated?)");
            }
            for (std::size_t i = 0; i < count; ++i) a.values[i] = static_cast<double>(v[i]);
        }
        return a;
    }

    std::map<std::string, std::string> metadata(hid_t parent, const std::string& path) const {
        std::map<std::string, std::string> out;
        if (H5Lexists(parent, "metadata", H5P_DEFAULT) <= 0) return out;
        const Handle g = open_group(parent, "metadata", path + "/metadata");
        for (const std::string& key : members(g.get(), path + "/metadata")) {
            const std::string at = path + "/metadata/" + key;
            const Handle d = open_dataset(g.get(), key, at);
            const Handle type(H5Dget_type(d.get()), H5Tclose);
            // Other producers write numbers too; they are kept as their text.
            if (H5Tget_class(type.get()) == H5T_STRING) {
                out[key] = string(g.get(), key, at);
            } else {
                const NirArray a = array(g.get(), key, at);
                std::string text;
                for (std::size_t i = 0; i < a.values.size(); ++i) {
                    if (i > 0) text.push_back(' ');
                    text.append(std::to_string(a.values[i]));
                }
                out[key] = text;
            }
        }
        return out;
    }

    std::vector<std::pair<std::string, std::string>> edges(hid_t node) const {
        const std::string path = "/node/edges";
        const Handle d = open_dataset(node, "edges", path);
        const Handle type(H5Dget_type(d.get()), H5Tclose);
        if (H5Tget_class(type.get()) != H5T_STRING) fail(path, "expected strings");
        const Handle space(H5Dget_space(d.get()), H5Sclose);
        const int rank = H5Sget_simple_extent_ndims(space.get());
        hsize_t dims[2] = {0, 0};
        if (rank == 2) H5Sget_simple_extent_dims(space.get(), dims, nullptr);
        const hssize_t points = H5Sget_simple_extent_npoints(space.get());
        if (points == 0) return {};
        if (rank != 2 || dims[1] != 2) fail(path, "expected an E x 2 array of node names");
        if (dims[0] > (hsize_t{1} << 24U)) fail(path, "more than 2^24 edges (a corrupt extent?)");
        std::vector<std::pair<std::string, std::string>> out;
        if (H5Tis_variable_str(type.get()) > 0) {
            const Handle memory = string_type();
            std::vector<char*> text(static_cast<std::size_t>(points), nullptr);
            if (H5Dread(d.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) < 0) {
                for (char* t : text) {
                    if (t != nullptr) H5free_memory(t);  // what a read that failed part way allocated
                }
                fail(path, "unreadable");
            }
            for (std::size_t e = 0; e < dims[0]; ++e) {
                const char* a = text[2 * e];
                const char* b = text[2 * e + 1];
                out.emplace_back(a != nullptr ? a : "", b != nullptr ? b : "");
            }
            H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, text.data());
        } else {
            const std::size_t size = H5Tget_size(type.get());
            if (size == 0 || size > 4096) fail(path, "fixed-length names of " + std::to_string(size) + " bytes (expected 1 to 4096)");
            std::vector<char> raw(static_cast<std::size_t>(points) * size);
            if (H5Dread(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) fail(path, "unreadable");
            const auto at = [&](std::size_t i) {
                std::string s(raw.data() + i * size, size);
                return s.substr(0, s.find('\0'));
            };
            for (std::size_t e = 0; e < dims[0]; ++e) out.emplace_back(at(2 * e), at(2 * e + 1));
        }
        return out;
    }

    NirGraph graph(hid_t file_id) const {
        NirGraph g;
        g.version = string(file_id, "version", "/version");
        const Handle node = open_group(file_id, "node", "/node");
        const std::string type = string(node.get(), "type", "/node/type");
        if (type != "NIRGraph") fail("/node/type", "expected \"NIRGraph\", found \"" + type + "\"");
        const Handle nodes = open_group(node.get(), "nodes", "/node/nodes");
        for (const std::string& name : members(nodes.get(), "/node/nodes")) {
            const std::string path = "/node/nodes/" + name;
            const Handle n = open_group(nodes.get(), name, path);
            NirNode out;
            out.type = string(n.get(), "type", path + "/type");
            for (const std::string& key : members(n.get(), path)) {
                if (key == "type" || key == "metadata") continue;
                if (is_group(n.get(), key)) fail(path + "/" + key, "a nested group (subgraphs are not read)");
                out.parameters[key] = array(n.get(), key, path + "/" + key);
            }
            out.metadata = metadata(n.get(), path);
            g.nodes[name] = std::move(out);
        }
        g.edges = edges(node.get());
        for (const auto& [from, to] : g.edges) {
            if (!g.nodes.contains(from)) fail("/node/edges", "an edge from \"" + from + "\", which is no node");
            if (!g.nodes.contains(to)) fail("/node/edges", "an edge to \"" + to + "\", which is no node");
        }
        g.metadata = metadata(node.get(), "/node");
        return g;
    }
};

}  // namespace

void write_nir_file(const std::filesystem::path& path, const NirGraph& graph) {
    quiet_hdf5();
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const Writer writer{path.string()};
    writer.validate(graph);
    std::string name = ".";
    name += path.filename().string();
    name += ".tmp.XXXXXX";
    std::string temporary = (dir / name).string();
    const int fd = mkstemp(temporary.data());
    if (fd < 0) throw OutputError(path.string() + ": cannot create a temporary file in " + dir.string());
    close(fd);
    try {
        {
            const Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
            writer.check(file.get(), "the file");
            writer.graph(file.get(), graph);
            writer.check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "the file");
        }
        const int sync = open(temporary.c_str(), O_RDONLY);
        if (sync >= 0) {
            fsync(sync);
            close(sync);
        }
        std::error_code ec;
        std::filesystem::rename(temporary, path, ec);
        if (ec) throw OutputError(path.string() + ": cannot rename the temporary file into place: " + ec.message());
    } catch (...) {
        std::remove(temporary.c_str());
        throw;
    }
}

NirGraph read_nir_file(const std::filesystem::path& path) {
    quiet_hdf5();
    if (!std::filesystem::exists(path)) throw CheckpointError(path.string() + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw CheckpointError(path.string() + ": not an HDF5 file (expected a NIR graph)");
    const Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) throw CheckpointError(path.string() + ": an HDF5 file that cannot be opened (truncated?)");
    return Reader{path.string()}.graph(file.get());
}

}  // namespace softspike
