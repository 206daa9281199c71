#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "dicom/hu_conversion.h"
#include "volume/volume.h"

using namespace lunglens;

namespace {

DecodedPixels pixels_16(std::vector<std::uint16_t> raw, StoredValueFormat format) {
  DecodedPixels pixels;
  pixels.format = format;
  pixels.frames = 1;
  pixels.frame_samples = static_cast<std::int64_t>(raw.size());
  pixels.buffer.resize(raw.size() * 2);
  std::memcpy(pixels.buffer.data(), raw.data(), pixels.buffer.size());
  return pixels;
}

}  // namespace

TEST_SUITE("dicom hu") {

TEST_CASE("signed 12-bit sign extension") {
  const StoredValueFormat format{16, 12, 11, true};
  CHECK(stored_value(0x0F00, format) == -256);
  CHECK(stored_value(0x07FF, format) == 2047);
  CHECK(stored_value(0x0800, format) == -2048);
}

TEST_CASE("junk above BitsStored is masked") {
  const StoredValueFormat unsigned12{16, 12, 11, false};
  CHECK(stored_value(0xF123, unsigned12) == 0x123);
  const StoredValueFormat signed12{16, 12, 11, true};
  CHECK(stored_value(0x7F00, signed12) == -256);
}

TEST_CASE("high bit below the top shifts") {
  const StoredValueFormat format{16, 12, 15, false};  // Values in bits 4..15.
  CHECK(stored_value(0x1230, format) == 0x123);
}

TEST_CASE("int16 conversion with padding range") {
  DecodedPixels pixels = pixels_16({0x0F00, 0x0064, 0xF830, 0xF831, 0xF900}, {16, 16, 15, true});
  HuMapping mapping;
  mapping.slope = 1;
  mapping.intercept = -1024;
  mapping.padding_low = -2000;
  mapping.padding_high = -1999;

  std::vector<std::int16_t> hu(5);
  std::vector<std::uint8_t> mask(5);
  CHECK(convert_frame_to_int16(pixels, 0, mapping, hu.data(), mask.data()));
  CHECK(hu[0] == 3840 - 1024);
  CHECK(hu[1] == 100 - 1024);
  CHECK(hu[2] == kPaddingHu);
  CHECK(hu[3] == kPaddingHu);
  CHECK(mask == std::vector<std::uint8_t>{0, 0, 1, 1, 0});
  CHECK(hu[4] == -1792 - 1024);
}

TEST_CASE("int16 overflow is reported") {
  DecodedPixels pixels = pixels_16({0x8000}, {16, 16, 15, true});
  HuMapping mapping;
  mapping.intercept = -1024;
  std::int16_t hu = 0;
  std::uint8_t mask = 0;
  CHECK_FALSE(convert_frame_to_int16(pixels, 0, mapping, &hu, &mask));
}

TEST_CASE("int16 conversion of every 16-bit sample") {
  // The 16-bit loop must give what stored_value and the mapping give, sample
  // by sample, for every raw value: signed and unsigned, junk above BitsStored,
  // a shifted HighBit, padding, slopes that overflow int16 and one that needs
  // 64-bit arithmetic.
  struct Case {
    StoredValueFormat format;
    double slope;
    double intercept;
    std::optional<std::int32_t> padding_low;
    std::int32_t padding_high;
  };
  const Case cases[] = {
      {{16, 16, 15, true}, 1, -1024, -2000, -1999},
      {{16, 12, 11, true}, 1, -1024, std::nullopt, 0},
      {{16, 12, 15, false}, 2, -1024, 0, 0},
      {{16, 16, 15, false}, 1, -1024, 65535, 65000},
      {{16, 16, 15, true}, 3, -32768, std::nullopt, 0},
      {{16, 16, 15, true}, 20000, 0, std::nullopt, 0},
  };
  std::vector<std::uint16_t> raw(65536);
  for (std::size_t v = 0; v < raw.size(); ++v) raw[v] = static_cast<std::uint16_t>(v);

  for (const Case& c : cases) {
    CAPTURE(c.format.bits_stored);
    CAPTURE(c.format.high_bit);
    CAPTURE(c.slope);
    const DecodedPixels pixels = pixels_16(raw, c.format);
    HuMapping mapping;
    mapping.slope = c.slope;
    mapping.intercept = c.intercept;
    mapping.padding_low = c.padding_low;
    mapping.padding_high = c.padding_high;

    std::vector<std::int16_t> expected_hu(raw.size());
    std::vector<std::uint8_t> expected_mask(raw.size());
    bool expected_fits = true;
    for (std::size_t v = 0; v < raw.size(); ++v) {
      const std::int64_t stored = stored_value(raw[v], c.format);
      const std::int64_t low = c.padding_low ? std::min<std::int64_t>(*c.padding_low, c.padding_high) : 1;
      const std::int64_t high = c.padding_low ? std::max<std::int64_t>(*c.padding_low, c.padding_high) : 0;
      const std::int64_t hu = stored * std::llround(c.slope) + std::llround(c.intercept);
      expected_mask[v] = stored >= low && stored <= high;
      const bool fits = hu >= -32768 && hu <= 32767;
      if (!expected_mask[v] && !fits) expected_fits = false;
      expected_hu[v] = static_cast<std::int16_t>(expected_mask[v] ? kPaddingHu : (fits ? hu : 0));
    }

    std::vector<std::int16_t> hu(raw.size());
    std::vector<std::uint8_t> mask(raw.size());
    CHECK(convert_frame_to_int16(pixels, 0, mapping, hu.data(), mask.data()) == expected_fits);
    CHECK(hu == expected_hu);
    CHECK(mask == expected_mask);
  }
}

TEST_CASE("float32 conversion") {
  DecodedPixels pixels = pixels_16({1000, 2000}, {16, 16, 15, false});
  HuMapping mapping;
  mapping.slope = 0.01;
  mapping.intercept = 0.5;
  std::vector<float> hu(2);
  std::vector<std::uint8_t> mask(2);
  convert_frame_to_float32(pixels, 0, mapping, hu.data(), mask.data());
  CHECK(hu[0] == doctest::Approx(10.5));
  CHECK(hu[1] == doctest::Approx(20.5));
}

}
