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

// Splits a multi-valued string at '\' (or at `separator`, e.g. '^' between
// the components of a person name) and trims each value.
std::vector<std::string> split_dicom_values(std::string_view text, char separator = '\\');

// Parses one Decimal String value (" 1.0E-2 ", "0.01", "+5", "-1024 ").
// Returns nullopt when the value is empty, not a number or not finite.
std::optional<double> parse_decimal_string(std::string_view text);

// Parses one Integer String value; nullopt when empty or not an integer.
std::optional<long long> parse_integer_string(std::string_view text);

// Parses every value of a multi-valued DS; nullopt when any value fails.
std::optional<std::vector<double>> parse_decimal_strings(std::string_view text);

// Returns a Person Name (PN) value for display: the components of each
// group (family^given^middle^prefix^suffix) joined as "family, given middle
// prefix suffix", the alphabetic, ideographic and phonetic groups joined by
// " = ". "DOE^JOHN" gives "DOE, JOHN".
std::string format_person_name(std::string_view text);

// Returns a Date (DA) value YYYYMMDD as YYYY-MM-DD when it is a valid
// calendar date, else the trimmed text unchanged (old forms such as
// "2001.01.01" stay readable).
std::string format_dicom_date(std::string_view text);

// Returns a text value (SH, LO, PN, ...) as UTF-8 for SpecificCharacterSet
// `character_set` (0008,0005): ISO_IR 100 (Latin-1) as the only term is
// converted; UTF-8 (ISO_IR 192) and the default repertoire pass through.
// Other character sets pass through too, and the report writers replace
// their invalid UTF-8 with U+FFFD.
std::string dicom_text_to_utf8(std::string_view text, std::string_view character_set);

}  // namespace lunglens
