#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace softspike {

// An 8-bit greyscale PNG of `width` x `height` pixels (row-major), for images embedded in report.html.
std::string encode_png_grey(std::size_t width, std::size_t height, const std::vector<std::uint8_t>& pixels);

// RFC 4648 base64, for data: URLs.
std::string base64(const std::string& bytes);

}  // namespace softspike
