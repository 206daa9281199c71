// A minimal JSON parser for tests (RFC 8259): it reads a document into a
// tree of JsonValue and rejects malformed input with the byte offset.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lunglens::test {

class JsonValue {
 public:
  enum class Type { null, boolean, number, string, array, object };

  Type type = Type::null;
  bool boolean = false;
  double number = 0.0;
  bool is_integer = false;  // The literal had no fraction or exponent.
  std::string string;
  std::vector<JsonValue> array;
  // Members in document order; keys are unique (duplicates are rejected).
  std::vector<std::pair<std::string, JsonValue>> object;

  // Returns the member `key`, or nullptr when absent or not an object.
  const JsonValue* find(std::string_view key) const;
  JsonValue* find(std::string_view key);

  // Returns the member `key`; throws std::out_of_range naming it when absent.
  const JsonValue& at(std::string_view key) const;
};

// Thrown by parse_json, with the byte offset of the fault in what().
class JsonParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses one JSON document (surrounding whitespace allowed).
JsonValue parse_json(std::string_view text);

// Returns the name of a type: "null", "boolean", "number", "string", "array", "object".
std::string json_type_name(JsonValue::Type type);

}  // namespace lunglens::test
