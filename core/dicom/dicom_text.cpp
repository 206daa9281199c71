#include "dicom/dicom_text.h"

#include <charconv>

#include "text/number_text.h"

namespace lunglens {

namespace {

bool is_padding_char(char c) { return c == ' ' || c == '\0' || c == '\t' || c == '\r' || c == '\n'; }

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

std::optional<double> parse_decimal_string(std::string_view text) { return parse_double(trim_dicom(text)); }

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
