#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "report/png_writer.h"

// zlib's inflate from the gdcmzlib that the core links (see png_writer.cpp),
// so the check below does not use the writer's own code to read its output.
extern "C" int uncompress(unsigned char* dest, unsigned long* dest_length, const unsigned char* source,
                          unsigned long source_length);

using namespace lunglens;

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

std::uint32_t read_u32_big_endian(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return (static_cast<std::uint32_t>(bytes.at(at)) << 24) | (static_cast<std::uint32_t>(bytes.at(at + 1)) << 16) |
         (static_cast<std::uint32_t>(bytes.at(at + 2)) << 8) | bytes.at(at + 3);
}

struct Chunk {
  std::string type;
  std::vector<std::uint8_t> data;
  bool crc_matches = false;
};

// Splits a PNG file after its signature into chunks and checks each CRC.
std::vector<Chunk> read_chunks(const std::vector<std::uint8_t>& png) {
  std::vector<Chunk> chunks;
  std::size_t at = 8;
  while (at + 12 <= png.size()) {
    const std::uint32_t length = read_u32_big_endian(png, at);
    REQUIRE(at + 12 + length <= png.size());
    Chunk chunk;
    chunk.type.assign(png.begin() + static_cast<std::ptrdiff_t>(at + 4), png.begin() + static_cast<std::ptrdiff_t>(at + 8));
    chunk.data.assign(png.begin() + static_cast<std::ptrdiff_t>(at + 8),
                      png.begin() + static_cast<std::ptrdiff_t>(at + 8 + length));
    const std::vector<std::uint8_t> type_and_data(png.begin() + static_cast<std::ptrdiff_t>(at + 4),
                                                  png.begin() + static_cast<std::ptrdiff_t>(at + 8 + length));
    chunk.crc_matches = crc32_of(type_and_data) == read_u32_big_endian(png, at + 8 + length);
    chunks.push_back(std::move(chunk));
    at += 12 + length;
  }
  CHECK(at == png.size());
  return chunks;
}

int paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// Reverses the five PNG filter types of 8-bit RGB scanlines.
std::vector<std::uint8_t> unfilter(const std::vector<std::uint8_t>& scanlines, int width, int height,
                                   std::vector<int>& filters_seen) {
  const std::size_t row_bytes = static_cast<std::size_t>(width) * 3;
  std::vector<std::uint8_t> pixels(row_bytes * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    const std::size_t in = static_cast<std::size_t>(y) * (row_bytes + 1);
    const int filter = scanlines.at(in);
    filters_seen.push_back(filter);
    for (std::size_t x = 0; x < row_bytes; ++x) {
      const std::size_t out = static_cast<std::size_t>(y) * row_bytes + x;
      const int a = x >= 3 ? pixels[out - 3] : 0;
      const int b = y > 0 ? pixels[out - row_bytes] : 0;
      const int c = (x >= 3 && y > 0) ? pixels[out - row_bytes - 3] : 0;
      int predicted = 0;
      if (filter == 1) predicted = a;
      if (filter == 2) predicted = b;
      if (filter == 3) predicted = (a + b) / 2;
      if (filter == 4) predicted = paeth(a, b, c);
      pixels[out] = static_cast<std::uint8_t>(scanlines.at(in + 1 + x) + predicted);
    }
  }
  return pixels;
}

// An image with flat areas, gradients and noise, so that rows choose different filters.
RgbImage test_image(int width, int height) {
  RgbImage image(width, height);
  std::uint32_t state = 12345;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      std::uint8_t* pixel = &image.pixels[(static_cast<std::size_t>(y) * width + x) * 3];
      state = state * 1664525U + 1013904223U;
      if (y < height / 4) {
        pixel[0] = pixel[1] = pixel[2] = 0;
      } else if (y < height / 2) {
        pixel[0] = static_cast<std::uint8_t>(x * 3);
        pixel[1] = static_cast<std::uint8_t>(y * 5);
        pixel[2] = static_cast<std::uint8_t>(x + y);
      } else {
        pixel[0] = static_cast<std::uint8_t>(state >> 24);
        pixel[1] = static_cast<std::uint8_t>(120 + ((state >> 16) & 7));
        pixel[2] = static_cast<std::uint8_t>(x);
      }
    }
  }
  return image;
}

}  // namespace

TEST_CASE("crc32 of known inputs") {
  CHECK(crc32_of(bytes_of("123456789")) == 0xCBF43926U);
  CHECK(crc32_of(bytes_of("IEND")) == 0xAE426082U);
  CHECK(crc32_of({}) == 0U);
}

TEST_CASE("adler32 of known inputs") {
  CHECK(adler32_of(bytes_of("Wikipedia")) == 0x11E60398U);
  CHECK(adler32_of({}) == 1U);

  // Long enough to need the modulus inside the loop: 100000 bytes of 0xFF.
  const std::vector<std::uint8_t> ones(100000, 0xFF);
  std::uint64_t a = 1, b = 0;
  for (const auto byte : ones) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  CHECK(adler32_of(ones) == static_cast<std::uint32_t>((b << 16) | a));
}

TEST_CASE("png structure and pixels round trip") {
  const RgbImage image = test_image(67, 41);
  const std::vector<std::uint8_t> png = encode_png(image);
  REQUIRE(png.size() > 8);

  const std::vector<std::uint8_t> signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  CHECK(std::vector<std::uint8_t>(png.begin(), png.begin() + 8) == signature);

  const std::vector<Chunk> chunks = read_chunks(png);
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].type == "IHDR");
  CHECK(chunks[1].type == "IDAT");
  CHECK(chunks[2].type == "IEND");
  for (const Chunk& chunk : chunks) CHECK_MESSAGE(chunk.crc_matches, "CRC of chunk " << chunk.type);

  // IHDR: 67 x 41, bit depth 8, colour type 2, deflate, adaptive filtering, no interlace.
  const std::vector<std::uint8_t>& header = chunks[0].data;
  REQUIRE(header.size() == 13);
  CHECK(read_u32_big_endian(header, 0) == 67U);
  CHECK(read_u32_big_endian(header, 4) == 41U);
  CHECK(std::vector<std::uint8_t>(header.begin() + 8, header.end()) == std::vector<std::uint8_t>{8, 2, 0, 0, 0});
  CHECK(chunks[2].data.empty());

  // IDAT: a zlib stream (CMF 0x78: deflate, 32 KiB window) whose header check passes.
  const std::vector<std::uint8_t>& stream = chunks[1].data;
  REQUIRE(stream.size() > 6);
  CHECK(stream[0] == 0x78);
  CHECK((stream[0] * 256 + stream[1]) % 31 == 0);

  // Inflated with zlib, the scanlines carry the Adler-32 in the stream trailer.
  const std::size_t scanline_bytes = (67 * 3 + 1) * 41;
  std::vector<std::uint8_t> scanlines(scanline_bytes + 16);
  unsigned long inflated = static_cast<unsigned long>(scanlines.size());
  REQUIRE(uncompress(scanlines.data(), &inflated, stream.data(), static_cast<unsigned long>(stream.size())) == 0);
  REQUIRE(inflated == scanline_bytes);
  scanlines.resize(inflated);
  CHECK(adler32_of(scanlines) == read_u32_big_endian(stream, stream.size() - 4));

  // Unfiltered, the pixels are the input; flat, smooth and noisy rows pick different filters.
  std::vector<int> filters;
  CHECK(unfilter(scanlines, 67, 41, filters) == image.pixels);
  std::vector<bool> used(5, false);
  for (const int filter : filters) {
    REQUIRE(filter >= 0);
    REQUIRE(filter <= 4);
    used[static_cast<std::size_t>(filter)] = true;
  }
  CHECK(std::count(used.begin(), used.end(), true) >= 2);
}

TEST_CASE("png of flat image compresses") {
  RgbImage image(512, 512);
  std::fill(image.pixels.begin(), image.pixels.end(), 40);
  const std::vector<std::uint8_t> png = encode_png(image);
  REQUIRE(!png.empty());
  CHECK(png.size() < 8000);  // Under 1 % of the 786 KiB of pixels.
}

TEST_CASE("png rejects invalid sizes") {
  CHECK(encode_png(RgbImage{}).empty());

  RgbImage wrong_length(4, 4);
  wrong_length.pixels.pop_back();
  CHECK(encode_png(wrong_length).empty());

  RgbImage too_wide;
  too_wide.width = 16385;
  too_wide.height = 1;
  too_wide.pixels.resize(16385 * 3);
  CHECK(encode_png(too_wide).empty());
}
