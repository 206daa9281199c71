#include "text/base64.h"

namespace lunglens {

std::string encode_base64(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Sized first and written by index: an append per character went through
  // an exception trampoline in WebAssembly (it may reallocate, so throw).
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  char* const text = out.data();
  const std::size_t size = bytes.size();
  for (std::size_t i = 0, o = 0; i < size; i += 3, o += 4) {
    const std::uint32_t b0 = bytes[i];
    const std::uint32_t b1 = i + 1 < size ? bytes[i + 1] : 0;
    const std::uint32_t b2 = i + 2 < size ? bytes[i + 2] : 0;
    const std::uint32_t triple = (b0 << 16) | (b1 << 8) | b2;
    text[o] = kAlphabet[(triple >> 18) & 63];
    text[o + 1] = kAlphabet[(triple >> 12) & 63];
    if (i + 1 < size) text[o + 2] = kAlphabet[(triple >> 6) & 63];
    if (i + 2 < size) text[o + 3] = kAlphabet[triple & 63];
  }
  return out;
}

}  // namespace lunglens
