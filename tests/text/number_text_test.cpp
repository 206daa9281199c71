#include <doctest/doctest.h>

#include "text/number_text.h"

using namespace lunglens;

TEST_SUITE("text") {
  TEST_CASE("parse_double accepts decimal strings") {
    CHECK(parse_double("0.01") == 0.01);
    CHECK(parse_double("1.0E-2") == 0.01);
    CHECK(parse_double("-1024") == -1024.0);
    CHECK(parse_double("+2.5") == 2.5);
    CHECK(parse_double("1e5") == 100000.0);
    CHECK(parse_double(".5") == 0.5);
    CHECK(parse_double("-0.000000001234") == -1.234e-9);
    CHECK(parse_double("2.5e-310") == 2.5e-310);  // Subnormal, still representable.
    CHECK(parse_double("0.30000000000000004") == 0.1 + 0.2);
    CHECK(parse_double("1234567890123456789012345678901234567890") == 1.2345678901234568e39);
  }

  TEST_CASE("parse_double rejects other text") {
    CHECK_FALSE(parse_double("").has_value());
    CHECK_FALSE(parse_double(" 1").has_value());
    CHECK_FALSE(parse_double("1 ").has_value());
    CHECK_FALSE(parse_double("inf").has_value());
    CHECK_FALSE(parse_double("nan").has_value());
    CHECK_FALSE(parse_double("0x10").has_value());
    CHECK_FALSE(parse_double("1e999").has_value());
    CHECK_FALSE(parse_double("1e-999").has_value());
    CHECK_FALSE(parse_double(std::string(65, '1')).has_value());
    CHECK_FALSE(parse_double("1.2.3").has_value());
    CHECK_FALSE(parse_double("-").has_value());
    CHECK_FALSE(parse_double("1e").has_value());
    CHECK_FALSE(parse_double("e5").has_value());
  }

  TEST_CASE("format_shortest round-trips") {
    CHECK(format_shortest(0.1) == "0.1");
    CHECK(format_shortest(2.5) == "2.5");
    CHECK(format_shortest(-1024.0) == "-1024");
    CHECK(format_shortest(0.703125) == "0.703125");
    CHECK(format_shortest(1.0 / 3.0) == "0.3333333333333333");
    CHECK(format_shortest(-20.0) == "-20");
    CHECK(format_shortest(1e-20) == "1e-20");
    CHECK(format_shortest(0.1 + 0.2) == "0.30000000000000004");
    for (double value : {0.1 + 0.2, 1e-300, 123456789.123456789, -0.0000123})
      CHECK(parse_double(format_shortest(value)) == value);
  }

}
