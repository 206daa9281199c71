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
TEST_SUITE("dicom text") {

TEST_CASE("person names for display") {
  CHECK(format_person_name("DOE^JOHN") == "DOE, JOHN");
  CHECK(format_person_name("Doe^John^Quincy^Dr.^Jr. ") == "Doe, John Quincy Dr. Jr.");
  CHECK(format_person_name("LIDC-IDRI-0001") == "LIDC-IDRI-0001");
  CHECK(format_person_name("^John") == "John");
  CHECK(format_person_name("Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=やまだ^たろう") ==
        "Yamada, Tarou = \x1b$B;3ED\x1b(B, \x1b$BB@O:\x1b(B = やまだ, たろう");
  CHECK(format_person_name("   ").empty());
  CHECK(format_person_name("^^^^").empty());
}

TEST_CASE("dates for display") {
  CHECK(format_dicom_date("20000101") == "2000-01-01");
  CHECK(format_dicom_date("20000229 ") == "2000-02-29");
  CHECK(format_dicom_date("19000229") == "19000229");  // 1900 is no leap year.
  CHECK(format_dicom_date("20201301") == "20201301");
  CHECK(format_dicom_date("2001.01.01") == "2001.01.01");
  CHECK(format_dicom_date("").empty());
}

TEST_CASE("latin-1 text to utf-8") {
  CHECK(dicom_text_to_utf8("M\xfcller^J\xf6rg", "ISO_IR 100") == "M\xc3\xbcller^J\xc3\xb6rg");
  CHECK(dicom_text_to_utf8("M\xfcller", "ISO 2022 IR 100") == "M\xc3\xbcller");
  CHECK(dicom_text_to_utf8("M\xc3\xbcller", "ISO_IR 192") == "M\xc3\xbcller");
  CHECK(dicom_text_to_utf8("M\xfcller", "") == "M\xfcller");
  CHECK(dicom_text_to_utf8("M\xfcller", "\\ISO 2022 IR 100\\ISO 2022 IR 87") == "M\xfcller");
}

}  // TEST_SUITE
