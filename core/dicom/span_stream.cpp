#include "dicom/span_stream.h"

namespace lunglens {

SpanStreambuf::SpanStreambuf(std::span<const std::uint8_t> bytes) {
  // The get area only reads; no put area is set, so the const_cast never
  // leads to a write into the caller's bytes.
  char* begin = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
  setg(begin, begin, begin + bytes.size());
}

SpanStreambuf::pos_type SpanStreambuf::seekoff(off_type offset, std::ios_base::seekdir direction,
                                               std::ios_base::openmode which) {
  if (!(which & std::ios_base::in)) return pos_type(off_type(-1));

  off_type base = 0;
  if (direction == std::ios_base::cur) base = gptr() - eback();
  else if (direction == std::ios_base::end) base = egptr() - eback();

  const off_type target = base + offset;
  if (target < 0 || target > egptr() - eback()) return pos_type(off_type(-1));
  setg(eback(), eback() + target, egptr());
  return pos_type(target);
}

SpanStreambuf::pos_type SpanStreambuf::seekpos(pos_type position, std::ios_base::openmode which) {
  return seekoff(off_type(position), std::ios_base::beg, which);
}

}  // namespace lunglens
