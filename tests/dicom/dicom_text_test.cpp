#include <doctest/doctest.h>

#include "dicom/dicom_text.h"

using namespace lunglens;

TEST_SUITE("dicom text") {

TEST_CASE("decimal string forms") {
  CHECK(parse_decimal_string("0.01").value() == doctest::Approx(0.01));
  CHECK(parse_decimal_string(" 1.0E-2 ").value() == doctest::Approx(0.01));
  CHECK(parse_decimal_string("-1024 ").value() == -1024.0);
  CHECK(parse_decimal_string("+5").value() == 5.0);
  CHECK(parse_decimal_string(std::string("1\0\0", 3)).value() == 1.0);
}

TEST_CASE("decimal string rejects junk") {
  CHECK_FALSE(parse_decimal_string("").has_value());
  CHECK_FALSE(parse_decimal_string("   ").has_value());
  CHECK_FALSE(parse_decimal_string("abc").has_value());
  CHECK_FALSE(parse_decimal_string("1.0x").has_value());
  CHECK_FALSE(parse_decimal_string("nan").has_value());
}

TEST_CASE("multi-valued decimal strings") {
  const auto values = parse_decimal_strings("0.5\\1.0 ");
  REQUIRE(values.has_value());
  REQUIRE(values->size() == 2);
  CHECK((*values)[0] == 0.5);
  CHECK((*values)[1] == 1.0);
  CHECK_FALSE(parse_decimal_strings("0.5\\x").has_value());
}

TEST_CASE("integer strings") {
  CHECK(parse_integer_string(" 42 ").value() == 42);
  CHECK_FALSE(parse_integer_string("4.2").has_value());
}

}
