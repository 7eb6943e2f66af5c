#include "io/npy.hpp"

#include <cstring>

#include "core/errors.hpp"

namespace softspike {

namespace {

// Python's tuple syntax, as numpy writes it: (5,) for one dimension, (2, 3) for two.
std::string shape_text(const std::vector<std::uint64_t>& shape) {
    // Built by append: GCC 12 warns falsely (-Wrestrict, bug 105651) on "literal" + std::string.
    std::string text("(");
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) text.append(", ");
        text.append(std::to_string(shape[i]));
    }
    text.append(shape.size() == 1 ? ",)" : ")");
    return text;
}

std::size_t element_size(const std::string& descr) { return descr == "<f4" ? 4 : 1; }

}  // namespace

std::string encode_npy(const NpyArray& array) {
    std::string header = "{'descr': '" + array.descr + "', 'fortran_order': False, 'shape': " +
                         shape_text(array.shape) + ", }";
    // magic (6) + version (2) + header length (2) + header + '\n': a multiple of 64.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    std::string out("\x93NUMPY\x01\x00", 8);
    out.push_back(static_cast<char>(header.size() & 0xFFU));
    out.push_back(static_cast<char>(header.size() >> 8U));
    out += header;
    out += array.data;
    return out;
}

NpyArray decode_npy(std::string_view bytes, const std::string& name) {
    auto fail = [&](const std::string& what) { throw OutputError(name + ": not a .npy file softspike reads: " + what); };
    if (bytes.size() < 10 || bytes.substr(0, 8) != std::string_view("\x93NUMPY\x01\x00", 8)) {
        fail("expected magic \\x93NUMPY and version 1.0 at offset 0");
    }
    const std::size_t header_size =
        static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8U);
    if (bytes.size() < 10 + header_size) fail("the header ends past the end of the file");
    const std::string header(bytes.substr(10, header_size));
    NpyArray array;
    const auto descr_at = header.find("'descr': '");
    if (descr_at == std::string::npos) fail("no 'descr' in the header");
    array.descr = header.substr(descr_at + 10, 3);
    if (array.descr != "<f4" && array.descr != "|u1") fail("dtype " + array.descr + " (expected <f4 or |u1)");
    if (header.find("'fortran_order': False") == std::string::npos) fail("expected C order");
    const auto shape_at = header.find("'shape': (");
    if (shape_at == std::string::npos) fail("no 'shape' in the header");
    std::uint64_t count = 1;
    for (std::size_t i = shape_at + 10; i < header.size() && header[i] != ')';) {
        if (header[i] < '0' || header[i] > '9') {
            ++i;
            continue;
        }
        std::uint64_t d = 0;
        while (i < header.size() && header[i] >= '0' && header[i] <= '9') d = d * 10 + (header[i++] - '0');
        array.shape.push_back(d);
        count *= d;
    }
    array.data = std::string(bytes.substr(10 + header_size));
    if (array.data.size() != count * element_size(array.descr)) {
        fail("the shape needs " + std::to_string(count * element_size(array.descr)) + " bytes of data, found " +
             std::to_string(array.data.size()));
    }
    return array;
}

NpyArray npy_float32(std::vector<std::uint64_t> shape, const std::vector<float>& values) {
    return {"<f4", std::move(shape),
            std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float))};
}

NpyArray npy_uint8(std::vector<std::uint64_t> shape, const std::vector<std::uint8_t>& values) {
    return {"|u1", std::move(shape), std::string(reinterpret_cast<const char*>(values.data()), values.size())};
}

}  // namespace softspike
