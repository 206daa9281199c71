#include "report/png_writer.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string_view>

// zlib 1.2.3 as bundled with GDCM (gdcmzlib) is linked into the core, but
// GDCM does not install its headers. So the two functions used are declared
// here as in GDCM 3.0.21's Utilities/gdcmzlib/zlib.h, where uLong is
// unsigned long and Bytef unsigned char. gdcmzlib exports them under their
// plain names in the native and the WebAssembly builds (checked with nm and
// llvm-nm).
extern "C" {
int compress2(unsigned char* dest, unsigned long* dest_length, const unsigned char* source,
              unsigned long source_length, int level);
unsigned long compressBound(unsigned long source_length);
}

namespace lunglens {
namespace {

constexpr int kMaxDimension = 16384;
constexpr int kZlibOk = 0;
// zlib level 3, not the default 6: on the key images of LIDC-IDRI-0001 it
// gave 3 % smaller files (586 kB in all) in about a third of the time.
constexpr int kCompressionLevel = 3;

std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

std::uint32_t crc_update(std::uint32_t crc, std::span<const std::uint8_t> bytes) {
  static const std::array<std::uint32_t, 256> table = make_crc_table();
  for (const std::uint8_t byte : bytes) crc = table[(crc ^ byte) & 0xFFU] ^ (crc >> 8);
  return crc;
}

void append_u32_big_endian(std::vector<std::uint8_t>& out, std::uint32_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 24));
  out.push_back(static_cast<std::uint8_t>(value >> 16));
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

// Appends length, type, data and the CRC-32 of type and data.
void append_chunk(std::vector<std::uint8_t>& out, std::string_view type, std::span<const std::uint8_t> data) {
  append_u32_big_endian(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t type_start = out.size();
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  const std::uint32_t crc =
      crc_update(0xFFFFFFFFU, std::span<const std::uint8_t>(out.data() + type_start, out.size() - type_start));
  append_u32_big_endian(out, crc ^ 0xFFFFFFFFU);
}

std::uint8_t paeth_predictor(int left, int up, int up_left) {
  const int estimate = left + up - up_left;
  const int distance_left = std::abs(estimate - left);
  const int distance_up = std::abs(estimate - up);
  const int distance_up_left = std::abs(estimate - up_left);
  if (distance_left <= distance_up && distance_left <= distance_up_left) return static_cast<std::uint8_t>(left);
  if (distance_up <= distance_up_left) return static_cast<std::uint8_t>(up);
  return static_cast<std::uint8_t>(up_left);
}

// Writes the filter type byte and the filtered row into `out`, row_bytes + 1
// bytes. `previous` is the row above, all zero for the first row.
void filter_row(int filter, const std::uint8_t* row, const std::uint8_t* previous, std::size_t row_bytes,
                std::uint8_t* out) {
  constexpr std::size_t kBytesPerPixel = 3;
  out[0] = static_cast<std::uint8_t>(filter);
  for (std::size_t x = 0; x < row_bytes; ++x) {
    const int left = x >= kBytesPerPixel ? row[x - kBytesPerPixel] : 0;
    const int up = previous[x];
    const int up_left = x >= kBytesPerPixel ? previous[x - kBytesPerPixel] : 0;
    int predicted = 0;
    switch (filter) {
      case 1: predicted = left; break;
      case 2: predicted = up; break;
      case 3: predicted = (left + up) / 2; break;
      case 4: predicted = paeth_predictor(left, up, up_left); break;
      default: break;
    }
    out[x + 1] = static_cast<std::uint8_t>(row[x] - predicted);
  }
}

// Returns the sum of the absolute residuals read as signed bytes, the
// measure that picks the filter of a row.
std::uint64_t residual_sum(const std::uint8_t* filtered, std::size_t row_bytes) {
  std::uint64_t sum = 0;
  for (std::size_t x = 1; x <= row_bytes; ++x) sum += static_cast<std::uint64_t>(std::abs(static_cast<std::int8_t>(filtered[x])));
  return sum;
}

// Returns the filtered scanlines: per row one filter type byte and the row.
std::vector<std::uint8_t> filter_scanlines(const RgbImage& image) {
  const std::size_t row_bytes = static_cast<std::size_t>(image.width) * 3;
  std::vector<std::uint8_t> filtered((row_bytes + 1) * static_cast<std::size_t>(image.height));
  const std::vector<std::uint8_t> zero_row(row_bytes, 0);
  std::vector<std::uint8_t> candidate(row_bytes + 1);

  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* row = image.pixels.data() + static_cast<std::size_t>(y) * row_bytes;
    const std::uint8_t* previous = y > 0 ? row - row_bytes : zero_row.data();
    std::uint8_t* best = filtered.data() + static_cast<std::size_t>(y) * (row_bytes + 1);

    filter_row(0, row, previous, row_bytes, best);
    std::uint64_t best_sum = residual_sum(best, row_bytes);
    for (int filter = 1; filter <= 4; ++filter) {
      filter_row(filter, row, previous, row_bytes, candidate.data());
      const std::uint64_t sum = residual_sum(candidate.data(), row_bytes);
      if (sum < best_sum) {
        best_sum = sum;
        std::copy(candidate.begin(), candidate.end(), best);
      }
    }
  }
  return filtered;
}

}  // namespace

std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) { return crc_update(0xFFFFFFFFU, bytes) ^ 0xFFFFFFFFU; }

std::uint32_t adler32_of(std::span<const std::uint8_t> bytes) {
  constexpr std::uint32_t kModulus = 65521;
  // 5552 is the largest block for which the sums cannot overflow 32 bits (NMAX in zlib's adler32.c).
  constexpr std::size_t kBlock = 5552;
  std::uint32_t a = 1;
  std::uint32_t b = 0;
  for (std::size_t start = 0; start < bytes.size(); start += kBlock) {
    const std::size_t end = std::min(bytes.size(), start + kBlock);
    for (std::size_t n = start; n < end; ++n) {
      a += bytes[n];
      b += a;
    }
    a %= kModulus;
    b %= kModulus;
  }
  return (b << 16) | a;
}

std::vector<std::uint8_t> encode_png(const RgbImage& image) {
  if (image.width < 1 || image.height < 1 || image.width > kMaxDimension || image.height > kMaxDimension ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3)
    return {};

  // Image data: filtered scanlines in one zlib stream.
  const std::vector<std::uint8_t> scanlines = filter_scanlines(image);
  unsigned long compressed_size = compressBound(static_cast<unsigned long>(scanlines.size()));
  std::vector<std::uint8_t> compressed(compressed_size);
  if (compress2(compressed.data(), &compressed_size, scanlines.data(), static_cast<unsigned long>(scanlines.size()),
                kCompressionLevel) != kZlibOk)
    return {};
  compressed.resize(compressed_size);

  // Signature, IHDR, IDAT, IEND.
  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  std::vector<std::uint8_t> header;
  append_u32_big_endian(header, static_cast<std::uint32_t>(image.width));
  append_u32_big_endian(header, static_cast<std::uint32_t>(image.height));
  header.insert(header.end(), {8, 2, 0, 0, 0});  // Bit depth 8, RGB, deflate, adaptive filters, no interlace.
  append_chunk(png, "IHDR", header);
  append_chunk(png, "IDAT", compressed);
  append_chunk(png, "IEND", {});
  return png;
}

}  // namespace lunglens
