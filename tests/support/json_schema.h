// A JSON Schema validator for tests. It covers the subset of draft-07 that
// schemas/report.schema.json uses: type (name or list), required,
// properties, additionalProperties (false or a schema), enum, const,
// minimum, maximum, items (one schema), minItems, maxItems, minLength,
// pattern, $ref to "#/definitions/NAME", and if/then/else. The annotations
// $schema, $id, title, description, format and definitions are accepted and
// ignored; any other keyword throws, so a schema never passes by using a
// keyword the validator skips.
#pragma once

#include <string>
#include <vector>

#include "support/json_value.h"

namespace lunglens::test {

// Returns one message per violation, each starting with the JSON pointer of
// the failing value (e.g. "/results/right_lung/volume/unit: ..."); empty when
// `instance` is valid. Throws std::invalid_argument for an unsupported keyword
// or an unresolvable $ref.
std::vector<std::string> validate_json_schema(const JsonValue& schema, const JsonValue& instance);

// Returns true when both values are equal as JSON (numbers by value, objects
// regardless of member order).
bool json_equal(const JsonValue& a, const JsonValue& b);

}  // namespace lunglens::test
