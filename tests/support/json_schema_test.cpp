#include <doctest/doctest.h>

#include "support/json_schema.h"
#include "support/json_value.h"

using namespace lunglens::test;

TEST_SUITE("report") {

TEST_CASE("json parser values") {
  const JsonValue v = parse_json(R"( {"a": [1, -2.5e1, true, null], "b": "\u00e9\ud83d\ude00\n"} )");
  REQUIRE(v.type == JsonValue::Type::object);
  CHECK(v.at("a").array[0].is_integer);
  CHECK(v.at("a").array[1].number == -25.0);
  CHECK_FALSE(v.at("a").array[1].is_integer);
  CHECK(v.at("a").array[2].boolean);
  CHECK(v.at("a").array[3].type == JsonValue::Type::null);
  CHECK(v.at("b").string == "\xC3\xA9\xF0\x9F\x98\x80\n");
}

TEST_CASE("json parser rejects malformed") {
  CHECK_THROWS_AS(parse_json("{\"a\": 1,}"), JsonParseError);
  CHECK_THROWS_AS(parse_json("[01]"), JsonParseError);
  CHECK_THROWS_AS(parse_json("\"tab\there\""), JsonParseError);
  CHECK_THROWS_AS(parse_json("{\"a\": 1, \"a\": 2}"), JsonParseError);
  CHECK_THROWS_AS(parse_json("[1] 2"), JsonParseError);
  CHECK_THROWS_AS(parse_json("\"\\ud800\""), JsonParseError);
  CHECK_THROWS_AS(parse_json(""), JsonParseError);
}

TEST_CASE("json schema keywords") {
  const JsonValue schema = parse_json(R"({
    "type": "object", "additionalProperties": false, "required": ["n", "s"],
    "properties": {
      "n": {"type": "integer", "minimum": 0, "maximum": 5},
      "s": {"enum": ["x", "y"]},
      "a": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"$ref": "#/definitions/unit"}},
      "p": {"type": "string", "pattern": "^[0-9]+$", "minLength": 2}
    },
    "definitions": {"unit": {"const": "mL"}}
  })");
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 3, "s": "x", "a": ["mL"], "p": "12"})")).empty());
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 3.5, "s": "x"})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 6, "s": "x"})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 1, "s": "z"})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 1})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 1, "s": "x", "extra": 0})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 1, "s": "x", "a": ["L"]})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 1, "s": "x", "a": []})")).size() == 1);
  CHECK(validate_json_schema(schema, parse_json(R"({"n": 1, "s": "x", "p": "1a"})")).size() == 1);
}

TEST_CASE("json schema if then else") {
  const JsonValue schema = parse_json(R"({
    "if": {"properties": {"k": {"const": "on"}}},
    "then": {"required": ["v"]},
    "else": {"properties": {"v": {"type": "null"}}}
  })");
  CHECK(validate_json_schema(schema, parse_json(R"({"k": "on", "v": 1})")).empty());
  CHECK_FALSE(validate_json_schema(schema, parse_json(R"({"k": "on"})")).empty());
  CHECK(validate_json_schema(schema, parse_json(R"({"k": "off", "v": null})")).empty());
  CHECK_FALSE(validate_json_schema(schema, parse_json(R"({"k": "off", "v": 2})")).empty());
}

TEST_CASE("json schema unknown keyword throws") {
  const JsonValue schema = parse_json(R"({"oneOf": [{"type": "string"}]})");
  CHECK_THROWS_AS(validate_json_schema(schema, parse_json("1")), std::invalid_argument);
}

}  // TEST_SUITE
