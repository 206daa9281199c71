// A read-only std::streambuf over caller-owned bytes, so GDCM can parse a file
// held in memory without copying it into a std::stringstream.
#pragma once

#include <cstdint>
#include <ios>
#include <istream>
#include <span>
#include <streambuf>

namespace lunglens {

class SpanStreambuf : public std::streambuf {
 public:
  explicit SpanStreambuf(std::span<const std::uint8_t> bytes);

 protected:
  pos_type seekoff(off_type offset, std::ios_base::seekdir direction,
                   std::ios_base::openmode which = std::ios_base::in) override;
  pos_type seekpos(pos_type position, std::ios_base::openmode which = std::ios_base::in) override;
};

// An std::istream reading from a SpanStreambuf it owns.
class SpanIstream : public std::istream {
 public:
  explicit SpanIstream(std::span<const std::uint8_t> bytes) : std::istream(nullptr), buffer_(bytes) {
    rdbuf(&buffer_);
  }

 private:
  SpanStreambuf buffer_;
};

}  // namespace lunglens
