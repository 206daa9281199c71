// Text helpers shared by the JSON and HTML writers.
#pragma once

#include <string>
#include <string_view>

namespace lunglens {

// Returns `text` with every byte sequence that is not valid UTF-8 (overlong
// forms, surrogates, code points above U+10FFFF, truncated sequences)
// replaced by U+FFFD, so writers can pass non-ASCII text through unchanged.
std::string sanitize_utf8(std::string_view text);

// Returns `value` rounded to `decimals` digits after the point (0 to 9), with
// '.' as separator whatever the C locale, and no "-0". Rounding halves away
// from zero on value x 10^decimals, which is the same IEEE arithmetic natively
// and in WebAssembly, so both print identical digits. `value` must be finite.
std::string format_fixed(double value, int decimals);

}  // namespace lunglens
