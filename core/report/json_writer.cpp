#include "report/json_writer.h"

#include <cmath>

#include "report/text_encoding.h"

namespace lunglens {

void JsonWriter::newline() {
  out_ += '\n';
  out_.append(2 * open_containers_.size(), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_containers_.empty()) return;

  Container& container = open_containers_.back();
  if (container.has_member) out_ += container.single_line ? ", " : ",";
  if (!container.single_line) newline();
  container.has_member = true;
}

void JsonWriter::open(char bracket, bool single_line) {
  before_value();
  out_ += bracket;
  open_containers_.push_back({false, single_line});
}

void JsonWriter::close(char bracket) {
  const Container container = open_containers_.back();
  open_containers_.pop_back();
  if (container.has_member && !container.single_line) newline();
  out_ += bracket;
}

void JsonWriter::begin_object() { open('{', false); }

void JsonWriter::begin_inline_object() { open('{', true); }

void JsonWriter::end_object() { close('}'); }

void JsonWriter::begin_array() { open('[', false); }

void JsonWriter::begin_inline_array() { open('[', true); }

void JsonWriter::end_array() { close(']'); }

void JsonWriter::key(std::string_view name) {
  before_value();
  out_ += quote(name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::string(std::string_view text) {
  before_value();
  out_ += quote(text);
}

void JsonWriter::number(double value, int decimals) {
  before_value();
  out_ += std::isfinite(value) ? format_fixed(value, decimals) : "null";
}

void JsonWriter::number(std::optional<double> value, int decimals) {
  if (value)
    number(*value, decimals);
  else
    null();
}

void JsonWriter::integer(std::int64_t value) {
  before_value();
  out_ += std::to_string(value);
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

std::string JsonWriter::text() const {
  if (!open_containers_.empty() || out_.empty()) return out_;
  return out_ + '\n';
}

std::string JsonWriter::quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string clean = sanitize_utf8(text);
  std::string out;
  out.reserve(clean.size() + 2);
  out += '"';
  for (const char c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0x0F];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace lunglens
