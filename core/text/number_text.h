// Locale-independent number parsing and formatting that gives the same text
// natively and in WebAssembly. Emscripten 3.1.6's libc++ lacks the
// floating-point overloads of std::from_chars and std::to_chars, so these use
// strtod and snprintf (glibc and musl both round exactly, so the digits agree).
// They assume the C locale for LC_NUMERIC, which the core never changes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lunglens {

// Parses the whole of `text` as a finite decimal number ("-12.5", "1.0E-2").
// Leading and trailing characters of any kind make it fail; callers trim first.
std::optional<double> parse_double(std::string_view text);

// Formats `value` with the fewest significant digits (up to 17) that parse
// back to the same double, e.g. 0.1 -> "0.1", 2.5 -> "2.5", 1e-20 -> "1e-20".
// Non-finite values give "nan", "inf" or "-inf", so JSON writers must check
// std::isfinite first.
std::string format_shortest(double value);

}  // namespace lunglens
