#include "dicom/dicom_text.h"

#include <charconv>
#include <cmath>
#include <locale>
#include <sstream>

namespace lunglens {

namespace {

bool is_padding_char(char c) { return c == ' ' || c == '\0' || c == '\t' || c == '\r' || c == '\n'; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Returns true for [-]digits[.digits][(e|E)[+|-]digits] with at least one
// mantissa digit: the Decimal String grammar after trimming.
bool is_decimal_syntax(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
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

std::string_view trim_dicom(std::string_view text) {
  while (!text.empty() && is_padding_char(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_padding_char(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string> split_dicom_values(std::string_view text) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\\', start);
    const std::string_view value = text.substr(start, end == std::string_view::npos ? end : end - start);
    values.emplace_back(trim_dicom(value));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return values;
}

std::optional<double> parse_decimal_string(std::string_view text) {
  text = trim_dicom(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (!is_decimal_syntax(text)) return std::nullopt;

  // A stream in the classic locale, because strtod follows LC_NUMERIC and
  // libc++ 14 (Emscripten 3.1.6) has no floating-point std::from_chars.
  std::istringstream stream{std::string(text)};
  stream.imbue(std::locale::classic());
  double value = 0.0;
  stream >> value;
  if (stream.fail() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<long long> parse_integer_string(std::string_view text) {
  text = trim_dicom(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;

  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::vector<double>> parse_decimal_strings(std::string_view text) {
  std::vector<double> numbers;
  for (const std::string& value : split_dicom_values(text)) {
    const auto number = parse_decimal_string(value);
    if (!number) return std::nullopt;
    numbers.push_back(*number);
  }
  return numbers;
}

}  // namespace lunglens
