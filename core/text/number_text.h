// Locale-independent number parsing and formatting that gives the same text
// natively and in WebAssembly. Parsing uses std::from_chars with libstdc++
// and musl's strtod in Emscripten (which always reads '.'), formatting a
// stream imbued with the classic locale, since Emscripten 3.1.6's libc++
// lacks the floating-point std::from_chars and std::to_chars. All of them
// convert exactly, so the digits agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lunglens {

// Parses the whole of `text` as a finite decimal number ("-12.5", "+1.0E-2",
// ".5"); "inf", "nan", hex and any blank make it fail, so callers trim first.
// Values beyond the double range fail, both overflow ("1e999") and underflow
// to zero ("1e-999"); subnormals ("2.5e-310") parse.
std::optional<double> parse_double(std::string_view text);

// Formats `value` with 15, 16 or 17 significant digits, the fewest that parse
// back to the same double, in %g style without trailing zeros: 0.1 -> "0.1",
// -20 -> "-20", 1e-20 -> "1e-20", 0.1 + 0.2 -> "0.30000000000000004".
// Non-finite values give "nan", "inf" or "-inf", so JSON writers must check
// std::isfinite first.
std::string format_shortest(double value);

}  // namespace lunglens
