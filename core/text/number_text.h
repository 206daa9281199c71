// Locale-independent number parsing and formatting that gives the same text
// natively and in WebAssembly. Emscripten 3.1.6's libc++ lacks the
// floating-point overloads of std::from_chars and std::to_chars, so these use
// streams imbued with the classic locale (whatever LC_NUMERIC the host sets).
// Both libstdc++ and libc++ convert exactly, so the digits agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lunglens {

// Parses the whole of `text` as a finite decimal number ("-12.5", "+1.0E-2",
// ".5"); "inf", "nan", hex and any blank make it fail, so callers trim first.
std::optional<double> parse_double(std::string_view text);

// Formats `value` with 15, 16 or 17 significant digits, the fewest that parse
// back to the same double, in %g style without trailing zeros: 0.1 -> "0.1",
// -20 -> "-20", 1e-20 -> "1e-20", 0.1 + 0.2 -> "0.30000000000000004".
// Non-finite values give "nan", "inf" or "-inf", so JSON writers must check
// std::isfinite first.
std::string format_shortest(double value);

}  // namespace lunglens
