// Parsing of DICOM text values (DS, IS and multi-valued strings) as found in
// real files: padded with spaces or NULs, in fixed or exponent notation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lunglens {

// Returns `text` without leading and trailing spaces and NULs.
std::string_view trim_dicom(std::string_view text);

// Splits a multi-valued string at '\' and trims each value.
std::vector<std::string> split_dicom_values(std::string_view text);

// Parses one Decimal String value (" 1.0E-2 ", "0.01", "+5", "-1024 ").
// Returns nullopt when the value is empty, not a number or not finite.
std::optional<double> parse_decimal_string(std::string_view text);

// Parses one Integer String value; nullopt when empty or not an integer.
std::optional<long long> parse_integer_string(std::string_view text);

// Parses every value of a multi-valued DS; nullopt when any value fails.
std::optional<std::vector<double>> parse_decimal_strings(std::string_view text);

}  // namespace lunglens
