#include "dicom/dicom_text.h"

#include <algorithm>
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

std::vector<std::string> split_dicom_values(std::string_view text, char separator) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
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

std::string format_person_name(std::string_view text) {
  std::string result;
  for (const std::string& group : split_dicom_values(text, '=')) {
    // Components: family, then given, middle, prefix and suffix after a comma.
    const std::vector<std::string> components = split_dicom_values(group, '^');
    std::string rest;
    for (std::size_t c = 1; c < components.size(); ++c) {
      if (components[c].empty()) continue;
      if (!rest.empty()) rest += ' ';
      rest += components[c];
    }

    std::string name = components.front();
    if (!rest.empty()) {
      if (!name.empty()) name += ", ";
      name += rest;
    }
    if (name.empty()) continue;
    if (!result.empty()) result += " = ";
    result += name;
  }
  return result;
}

std::string format_dicom_date(std::string_view text) {
  text = trim_dicom(text);
  const bool digits = text.size() == 8 && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (!digits) return std::string(text);

  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(4, 2)));
  const int day = std::stoi(std::string(text.substr(6, 2)));
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap ? 1 : 0))
    return std::string(text);
  return std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) + "-" + std::string(text.substr(6, 2));
}

std::string dicom_text_to_utf8(std::string_view text, std::string_view character_set) {
  // Only a single Latin-1 term: with code extensions (several terms) the
  // bytes above 0x7F may belong to another character set.
  const std::vector<std::string> terms = split_dicom_values(character_set);
  const bool latin1 = terms.size() == 1 && (terms[0] == "ISO_IR 100" || terms[0] == "ISO 2022 IR 100");
  if (!latin1) return std::string(text);

  std::string utf8;
  utf8.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      utf8 += c;
    } else {
      utf8 += static_cast<char>(0xC0 | (byte >> 6));
      utf8 += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return utf8;
}

}  // namespace lunglens
