#include "text/number_text.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <locale>
#include <sstream>

namespace lunglens {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Accepts [+-]digits[.digits][(e|E)[+-]digits] with at least one mantissa
// digit: the DICOM DS and JSON number forms, without "inf", "nan" or hex.
bool is_decimal_syntax(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < text.size() && is_digit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == text.size();
}

}  // namespace

std::optional<double> parse_double(std::string_view text) {
  if (text.empty() || text.size() > 64 || !is_decimal_syntax(text)) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);

  // A conversion that ignores the locale and rounds correctly. libstdc++ has
  // std::from_chars for double. Emscripten's libc++ 14 does not, but its musl
  // strtod always reads '.'. Other libraries use a classic-locale stream,
  // which is slower (a stream is built per call, thousands per series).
  double value = 0.0;
#if defined(__GLIBCXX__)
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(text.data(), last, value);
  if (error != std::errc() || end != last) return std::nullopt;
#elif defined(__EMSCRIPTEN__)
  char buffer[72];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  value = std::strtod(buffer, &end);
  if (end != buffer + text.size()) return std::nullopt;
  if (errno == ERANGE && value == 0.0) return std::nullopt;  // Underflow, as from_chars reports it.
#else
  std::istringstream stream{std::string(text)};
  stream.imbue(std::locale::classic());
  stream >> value;
  if (stream.fail()) return std::nullopt;
#endif
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::string format_shortest(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";

  std::string text;
  for (int digits = 15; digits <= 17; ++digits) {
    std::ostringstream stream;
    stream.imbue(std::locale::classic());
    stream << std::setprecision(digits) << value;
    text = stream.str();
    if (parse_double(text) == value) break;
  }
  return text;
}

}  // namespace lunglens
