#include "report/report_text.h"

#include <cctype>

namespace lunglens {
namespace {

bool digits_at(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return false;
  for (std::size_t n = 0; n < count; ++n)
    if (!std::isdigit(static_cast<unsigned char>(text[pos + n]))) return false;
  return true;
}

}  // namespace

bool is_rfc3339_timestamp(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS
  if (!digits_at(t, 0, 4) || t.size() < 20 || t[4] != '-' || !digits_at(t, 5, 2) || t[7] != '-' ||
      !digits_at(t, 8, 2) || t[10] != 'T' || !digits_at(t, 11, 2) || t[13] != ':' ||
      !digits_at(t, 14, 2) || t[16] != ':' || !digits_at(t, 17, 2))
    return false;

  std::size_t pos = 19;
  if (t[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos]))) ++pos;
    if (pos == start) return false;
  }
  if (pos < t.size() && t[pos] == 'Z') return pos + 1 == t.size();
  return pos + 6 == t.size() && (t[pos] == '+' || t[pos] == '-') && digits_at(t, pos + 1, 2) &&
         t[pos + 3] == ':' && digits_at(t, pos + 4, 2);
}

}  // namespace lunglens
