#include <doctest/doctest.h>

#include <cmath>

#include "report/json_writer.h"
#include "support/json_value.h"

using namespace lunglens;

TEST_SUITE("report") {

TEST_CASE("json writer layout") {
  JsonWriter json;
  json.begin_object();
  json.key("a");
  json.integer(-3);
  json.key("b");
  json.begin_inline_array();
  json.number(1.25, 1);
  json.null();
  json.boolean(true);
  json.end_array();
  json.key("c");
  json.begin_object();
  json.end_object();
  json.key("d");
  json.begin_array();
  json.string("x");
  json.end_array();
  json.end_object();
  CHECK(json.text() == "{\n  \"a\": -3,\n  \"b\": [1.3, null, true],\n  \"c\": {},\n  \"d\": [\n    \"x\"\n  ]\n}\n");
}

TEST_CASE("json writer non-finite is null") {
  JsonWriter json;
  json.begin_inline_array();
  json.number(std::nan(""), 2);
  json.number(std::optional<double>{}, 2);
  json.number(std::optional<double>{2.0}, 2);
  json.end_array();
  CHECK(json.text() == "[null, null, 2.00]\n");
}

TEST_CASE("json quote escapes") {
  CHECK(JsonWriter::quote("a\"b\\c") == R"("a\"b\\c")");
  CHECK(JsonWriter::quote("\b\f\n\r\t") == R"("\b\f\n\r\t")");
  CHECK(JsonWriter::quote(std::string_view("\x00\x1f", 2)) == R"("\u0000\u001f")");
  CHECK(JsonWriter::quote("\x7f") == "\"\x7f\"");
  CHECK(JsonWriter::quote("</script>") == "\"</script>\"");
  CHECK(JsonWriter::quote("\xE6\x97\xA5\xE6\x9C\xAC") == "\"\xE6\x97\xA5\xE6\x9C\xAC\"");
  CHECK(JsonWriter::quote("\xFE") == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("json quote round trip") {
  std::string every_byte;
  for (int c = 1; c < 0x80; ++c) every_byte += static_cast<char>(c);
  every_byte += "\xC3\xA9\xF0\x9F\xAB\x81";
  const test::JsonValue parsed = test::parse_json(JsonWriter::quote(every_byte));
  CHECK(parsed.string == every_byte);
}

}  // TEST_SUITE
