#include "support/json_schema.h"

#include <cmath>
#include <regex>
#include <set>
#include <stdexcept>

namespace lunglens::test {
namespace {

const std::set<std::string> kAnnotations{"$schema", "$id", "title", "description", "format", "definitions"};
const std::set<std::string> kKeywords{"type",     "required", "properties", "additionalProperties",
                                      "enum",     "const",    "minimum",    "maximum",
                                      "items",    "minItems", "maxItems",   "minLength",
                                      "pattern",  "$ref",     "if",         "then",
                                      "else"};

class Validator {
 public:
  explicit Validator(const JsonValue& root) : root_(root) {}

  void validate(const JsonValue& schema, const JsonValue& value, const std::string& path) {
    if (schema.type == JsonValue::Type::boolean) {
      if (!schema.boolean) error(path, "no value is allowed here");
      return;
    }
    if (schema.type != JsonValue::Type::object)
      throw std::invalid_argument("schema at " + path + " is not an object or boolean");
    for (const auto& [keyword, argument] : schema.object)
      if (kKeywords.count(keyword) == 0 && kAnnotations.count(keyword) == 0)
        throw std::invalid_argument("unsupported schema keyword \"" + keyword + "\" at " + path);

    if (const JsonValue* ref = schema.find("$ref")) validate(resolve(ref->string), value, path);
    if (const JsonValue* type = schema.find("type")) check_type(*type, value, path);
    if (const JsonValue* allowed = schema.find("enum")) check_enum(*allowed, value, path);
    if (const JsonValue* constant = schema.find("const"))
      if (!json_equal(*constant, value)) error(path, "value differs from the constant " + describe(*constant));

    if (value.type == JsonValue::Type::number) check_number(schema, value, path);
    if (value.type == JsonValue::Type::string) check_string(schema, value, path);
    if (value.type == JsonValue::Type::array) check_array(schema, value, path);
    if (value.type == JsonValue::Type::object) check_object(schema, value, path);

    if (const JsonValue* condition = schema.find("if")) {
      Validator probe(root_);
      probe.validate(*condition, value, path);
      const JsonValue* branch = probe.errors_.empty() ? schema.find("then") : schema.find("else");
      if (branch != nullptr) validate(*branch, value, path);
    }
  }

  std::vector<std::string> errors_;

 private:
  void error(const std::string& path, const std::string& message) {
    errors_.push_back((path.empty() ? "/" : path) + ": " + message);
  }

  static std::string describe(const JsonValue& value) {
    if (value.type == JsonValue::Type::string) return "\"" + value.string + "\"";
    if (value.type == JsonValue::Type::number) return std::to_string(value.number);
    return json_type_name(value.type);
  }

  const JsonValue& resolve(const std::string& reference) const {
    const std::string prefix = "#/definitions/";
    if (reference.rfind(prefix, 0) != 0)
      throw std::invalid_argument("unsupported $ref \"" + reference + "\"; only #/definitions/NAME");
    const JsonValue* definitions = root_.find("definitions");
    const JsonValue* target =
        definitions == nullptr ? nullptr : definitions->find(reference.substr(prefix.size()));
    if (target == nullptr) throw std::invalid_argument("$ref \"" + reference + "\" does not resolve");
    return *target;
  }

  static bool has_type(const std::string& name, const JsonValue& value) {
    if (name == "integer")
      return value.type == JsonValue::Type::number && std::floor(value.number) == value.number;
    return json_type_name(value.type) == name;
  }

  void check_type(const JsonValue& type, const JsonValue& value, const std::string& path) {
    if (type.type == JsonValue::Type::string) {
      if (!has_type(type.string, value))
        error(path, "expected type " + type.string + ", found " + json_type_name(value.type));
      return;
    }
    for (const JsonValue& name : type.array)
      if (has_type(name.string, value)) return;
    error(path, "type " + json_type_name(value.type) + " is not among the allowed types");
  }

  void check_enum(const JsonValue& allowed, const JsonValue& value, const std::string& path) {
    for (const JsonValue& option : allowed.array)
      if (json_equal(option, value)) return;
    error(path, "value " + describe(value) + " is not in the enum");
  }

  void check_number(const JsonValue& schema, const JsonValue& value, const std::string& path) {
    if (const JsonValue* minimum = schema.find("minimum"))
      if (value.number < minimum->number)
        error(path, std::to_string(value.number) + " is below the minimum " + std::to_string(minimum->number));
    if (const JsonValue* maximum = schema.find("maximum"))
      if (value.number > maximum->number)
        error(path, std::to_string(value.number) + " is above the maximum " + std::to_string(maximum->number));
  }

  void check_string(const JsonValue& schema, const JsonValue& value, const std::string& path) {
    if (const JsonValue* min_length = schema.find("minLength")) {
      std::size_t code_points = 0;
      for (const char c : value.string)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;
      if (static_cast<double>(code_points) < min_length->number) error(path, "string is too short");
    }
    if (const JsonValue* pattern = schema.find("pattern"))
      if (!std::regex_search(value.string, std::regex(pattern->string, std::regex::ECMAScript)))
        error(path, "\"" + value.string + "\" does not match the pattern " + pattern->string);
  }

  void check_array(const JsonValue& schema, const JsonValue& value, const std::string& path) {
    const auto size = static_cast<double>(value.array.size());
    if (const JsonValue* min_items = schema.find("minItems"))
      if (size < min_items->number) error(path, "array has fewer items than " + describe(*min_items));
    if (const JsonValue* max_items = schema.find("maxItems"))
      if (size > max_items->number) error(path, "array has more items than " + describe(*max_items));
    if (const JsonValue* items = schema.find("items"))
      for (std::size_t n = 0; n < value.array.size(); ++n)
        validate(*items, value.array[n], path + "/" + std::to_string(n));
  }

  void check_object(const JsonValue& schema, const JsonValue& value, const std::string& path) {
    if (const JsonValue* required = schema.find("required"))
      for (const JsonValue& name : required->array)
        if (value.find(name.string) == nullptr) error(path, "required member \"" + name.string + "\" is missing");

    const JsonValue* properties = schema.find("properties");
    const JsonValue* additional = schema.find("additionalProperties");
    for (const auto& [name, member] : value.object) {
      const JsonValue* property = properties == nullptr ? nullptr : properties->find(name);
      if (property != nullptr)
        validate(*property, member, path + "/" + name);
      else if (additional != nullptr)
        validate(*additional, member, path + "/" + name);
    }
  }

  const JsonValue& root_;
};

}  // namespace

bool json_equal(const JsonValue& a, const JsonValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case JsonValue::Type::null: return true;
    case JsonValue::Type::boolean: return a.boolean == b.boolean;
    case JsonValue::Type::number: return a.number == b.number;
    case JsonValue::Type::string: return a.string == b.string;
    case JsonValue::Type::array:
      if (a.array.size() != b.array.size()) return false;
      for (std::size_t n = 0; n < a.array.size(); ++n)
        if (!json_equal(a.array[n], b.array[n])) return false;
      return true;
    case JsonValue::Type::object:
      if (a.object.size() != b.object.size()) return false;
      for (const auto& [name, member] : a.object) {
        const JsonValue* other = b.find(name);
        if (other == nullptr || !json_equal(member, *other)) return false;
      }
      return true;
  }
  return false;
}

std::vector<std::string> validate_json_schema(const JsonValue& schema, const JsonValue& instance) {
  Validator validator(schema);
  validator.validate(schema, instance, "");
  return validator.errors_;
}

}  // namespace lunglens::test
