// PNG (ISO/IEC 15948) encoding of 8-bit RGB images, for the key images of the
// report. The core returns the bytes; the caller saves or embeds them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace lunglens {

// An 8-bit RGB image, row by row from the top, 3 bytes per pixel.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3 bytes.

  RgbImage() = default;
  RgbImage(int width_pixels, int height_pixels)
      : width(width_pixels), height(height_pixels),
        pixels(static_cast<std::size_t>(width_pixels) * static_cast<std::size_t>(height_pixels) * 3, 0) {}
};

// Encodes `image` as a PNG file: colour type 2 (RGB), bit depth 8, no
// interlace, one IDAT chunk compressed with zlib. Each row takes the filter
// (None, Sub, Up, Average or Paeth) with the smallest sum of absolute
// residuals, the common minimum-sum heuristic. Returns an empty vector when
// the size is invalid (width or height below 1 or above 16384, or a pixel
// buffer of another length).
std::vector<std::uint8_t> encode_png(const RgbImage& image);

// Returns the CRC-32 of `bytes` (ISO 3309 polynomial, as in PNG chunks and zlib).
std::uint32_t crc32_of(std::span<const std::uint8_t> bytes);

// Returns the Adler-32 checksum of `bytes` (RFC 1950), the trailer of a zlib stream.
std::uint32_t adler32_of(std::span<const std::uint8_t> bytes);

}  // namespace lunglens
