// Small JSON text helpers for the DICOM JSON export.
#pragma once

#include <string>
#include <string_view>

namespace lunglens {

// Appends `text` as a quoted JSON string. Control characters, quotes and
// backslashes are escaped; bytes that are not valid UTF-8 are read as
// ISO 8859-1 (the most common DICOM character set besides ASCII), so the
// output is always valid UTF-8.
void append_json_string(std::string& out, std::string_view text);

// Appends a finite number in its shortest round-trip form, or null.
void append_json_number(std::string& out, double value);

}  // namespace lunglens
