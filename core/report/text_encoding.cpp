#include "report/text_encoding.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace lunglens {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8.

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Returns the length of the valid UTF-8 sequence at text[pos], or 0.
std::size_t valid_sequence_length(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return 1;

  std::size_t length = 0;
  std::uint32_t code_point = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;

  for (std::size_t n = 1; n < length; ++n) {
    const auto byte = static_cast<unsigned char>(text[pos + n]);
    if (!is_continuation(byte)) return 0;
    code_point = (code_point << 6) | (byte & 0x3F);
  }

  static constexpr std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kMinimum[length]) return 0;                  // Overlong form.
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;  // UTF-16 surrogate.
  if (code_point > 0x10FFFF) return 0;
  return length;
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t length = valid_sequence_length(text, pos);
    if (length == 0) {
      out += kReplacement;
      ++pos;
      continue;
    }
    out.append(text.substr(pos, length));
    pos += length;
  }
  return out;
}

std::string format_fixed(double value, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;

  double scale = 1.0;
  for (int d = 0; d < decimals; ++d) scale *= 10.0;
  const double scaled = value * scale;

  // Beyond 2^53 the integer path loses digits; such values do not occur in
  // reports, but they still print (through the C library) rather than wrap.
  if (!(std::abs(scaled) < 9.0e15)) {
    char buffer[400];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
  }

  const long long rounded = std::llround(scaled);
  const bool negative = rounded < 0;
  const unsigned long long magnitude =
      negative ? static_cast<unsigned long long>(-rounded) : static_cast<unsigned long long>(rounded);
  const auto unit = static_cast<unsigned long long>(scale);

  std::string text = negative ? "-" : "";
  text += std::to_string(magnitude / unit);
  if (decimals > 0) {
    std::string fraction = std::to_string(magnitude % unit);
    text += '.';
    text.append(static_cast<std::size_t>(decimals) - fraction.size(), '0');
    text += fraction;
  }
  return text;
}

}  // namespace lunglens
