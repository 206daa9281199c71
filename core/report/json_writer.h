// A small streaming JSON writer: objects, arrays, strings, fixed-decimal
// numbers, integers, booleans and null, indented by two spaces per level.
// It has no dependency, so the same bytes come out natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lunglens {

class JsonWriter {
 public:
  void begin_object();
  // Starts an object whose members stay on one line, e.g. {"value": 1, "unit": "mL"}.
  void begin_inline_object();
  void end_object();
  void begin_array();
  // Starts an array whose elements stay on one line, e.g. [1, 2, 3].
  void begin_inline_array();
  void end_array();

  // Writes the key of the next member; call inside an object before its value.
  void key(std::string_view name);

  void string(std::string_view text);
  void number(double value, int decimals);  // Non-finite values are written as null.
  void number(std::optional<double> value, int decimals);  // Empty is written as null.
  void integer(std::int64_t value);
  void boolean(bool value);
  void null();

  // Returns the document written so far, with a final newline when complete.
  std::string text() const;

  // Returns `text` as a JSON string literal with quotes. Invalid UTF-8 becomes
  // U+FFFD; other non-ASCII characters pass through as UTF-8; '"', '\' and
  // control characters below U+0020 are escaped.
  static std::string quote(std::string_view text);

 private:
  void before_value();
  void newline();

  std::string out_;
  struct Container {
    bool has_member = false;  // The next member needs a comma.
    bool single_line = false;
  };

  void open(char bracket, bool single_line);
  void close(char bracket);

  std::vector<Container> open_containers_;
  bool after_key_ = false;
};

}  // namespace lunglens
