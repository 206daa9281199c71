// Base64 encoding (RFC 4648, standard alphabet with '=' padding), e.g. for
// data: URLs in the HTML report.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace lunglens {

// Returns `bytes` as base64 text without line breaks.
std::string encode_base64(std::span<const std::uint8_t> bytes);

}  // namespace lunglens
