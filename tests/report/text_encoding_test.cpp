#include <doctest/doctest.h>

#include "report/text_encoding.h"

using namespace lunglens;

TEST_SUITE("report") {

TEST_CASE("format fixed decimals") {
  CHECK(format_fixed(4.5, 3) == "4.500");
  CHECK(format_fixed(100.0 * 75 / 450, 2) == "16.67");
  CHECK(format_fixed(-808.3333333, 1) == "-808.3");
  CHECK(format_fixed(0.703125, 6) == "0.703125");
  CHECK(format_fixed(2.0, 0) == "2");
  CHECK(format_fixed(0.0005, 3) == "0.001");    // Half away from zero.
  CHECK(format_fixed(-0.0004, 3) == "0.000");   // No negative zero.
  CHECK(format_fixed(-0.0006, 3) == "-0.001");
  CHECK(format_fixed(-950.0, 1) == "-950.0");
  CHECK(format_fixed(123456789.25, 2) == "123456789.25");
  CHECK(format_fixed(0.05, 2) == "0.05");
}

TEST_CASE("format fixed huge values") {
  CHECK(format_fixed(1e20, 2) == "100000000000000000000.00");
}

TEST_CASE("sanitize utf8") {
  CHECK(sanitize_utf8("plain") == "plain");
  CHECK(sanitize_utf8("\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80") == "\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(sanitize_utf8("\xFF") == "\xEF\xBF\xBD");
  CHECK(sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // Overlong '/'.
  CHECK(sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // Surrogate.
  CHECK(sanitize_utf8("a\xE2\x82") == "a\xEF\xBF\xBD\xEF\xBF\xBD");  // Truncated.
  CHECK(sanitize_utf8(std::string_view("\0x", 2)) == std::string("\0x", 2));
}

}  // TEST_SUITE
