// Output of the report writers.
#pragma once

#include <string>

#include "diagnostics/diagnostic.h"

namespace lunglens {

struct ReportText {
  bool ok = false;          // False when the input was rejected; `text` is then empty.
  std::string text;         // UTF-8 JSON or HTML.
  Diagnostics diagnostics;  // Reasons the input was rejected.
};

// Returns true when `timestamp` is an RFC 3339 date-time such as
// "2024-05-01T12:00:00Z" or "2024-05-01T14:00:00.5+02:00".
bool is_rfc3339_timestamp(std::string_view timestamp);

}  // namespace lunglens
