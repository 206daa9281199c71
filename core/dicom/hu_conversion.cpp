#include "dicom/hu_conversion.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "volume/volume.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace lunglens {

namespace {

// Calls sink(index, stored value) for every sample of one frame.
template <class Sink>
void for_each_stored_value(const DecodedPixels& pixels, int frame, Sink&& sink) {
  const std::int64_t count = pixels.frame_samples;
  const StoredValueFormat& format = pixels.format;
  const std::size_t bytes_per_sample = static_cast<std::size_t>(format.bits_allocated / 8);
  const std::uint8_t* start = pixels.buffer.data() + static_cast<std::size_t>(frame) * count * bytes_per_sample;

  if (format.bits_allocated == 8) {
    for (std::int64_t s = 0; s < count; ++s) sink(s, stored_value(start[s], format));
  } else if (format.bits_allocated == 16) {
    for (std::int64_t s = 0; s < count; ++s) {
      std::uint16_t raw;
      std::memcpy(&raw, start + 2 * s, 2);
      sink(s, stored_value(raw, format));
    }
  } else {
    for (std::int64_t s = 0; s < count; ++s) {
      std::uint32_t raw;
      std::memcpy(&raw, start + 4 * s, 4);
      sink(s, stored_value(raw, format));
    }
  }
}

bool is_padding(std::int32_t stored, const HuMapping& mapping) {
  if (!mapping.padding_low) return false;
  const std::int32_t low = std::min(*mapping.padding_low, mapping.padding_high);
  const std::int32_t high = std::max(*mapping.padding_low, mapping.padding_high);
  return stored >= low && stored <= high;
}

// Converts 16-bit samples with the format and the mapping hoisted out of the
// loop and no branch inside it, so that the compiler can vectorise it. Gives
// the same values as the general path. Returns false, converting nothing,
// when the format or the mapping needs that path: values beyond 32-bit
// arithmetic, or BitsStored and HighBit outside the 16 bits.
bool convert_16bit_to_int16(const std::uint8_t* start, std::int64_t count, const StoredValueFormat& format,
                            std::int64_t slope, std::int64_t intercept, const HuMapping& mapping, std::int16_t* out,
                            std::uint8_t* mask, bool& fits) {
  const int shift = format.high_bit + 1 - format.bits_stored;
  if (format.bits_stored < 1 || shift < 0 || shift + format.bits_stored > 16) return false;
  if (slope < -16384 || slope > 16384 || intercept < -(std::int64_t(1) << 30) || intercept > (std::int64_t(1) << 30))
    return false;

  const std::int32_t value_mask = (std::int32_t(1) << format.bits_stored) - 1;
  const std::int32_t sign_bit = format.is_signed ? std::int32_t(1) << (format.bits_stored - 1) : 0;
  std::int32_t padding_low = 1, padding_high = 0;  // An empty range when there is no padding value.
  if (mapping.padding_low) {
    padding_low = std::min(*mapping.padding_low, mapping.padding_high);
    padding_high = std::max(*mapping.padding_low, mapping.padding_high);
  }
  const auto slope32 = static_cast<std::int32_t>(slope);
  const auto intercept32 = static_cast<std::int32_t>(intercept);

  std::int32_t out_of_range = 0;
  std::int64_t s = 0;
#if defined(__wasm_simd128__)
  // Eight samples per step with the same arithmetic. For WebAssembly, clang
  // vectorises the loop below only in part and stores its results lane by lane.
  const v128_t lane_mask = wasm_i32x4_splat(value_mask);
  const v128_t lane_sign = wasm_i32x4_splat(sign_bit);
  const v128_t lane_padding_low = wasm_i32x4_splat(padding_low);
  const v128_t lane_padding_high = wasm_i32x4_splat(padding_high);
  const v128_t lane_slope = wasm_i32x4_splat(slope32);
  const v128_t lane_intercept = wasm_i32x4_splat(intercept32);
  const v128_t lane_min = wasm_i32x4_splat(std::numeric_limits<std::int16_t>::min());
  const v128_t lane_max = wasm_i32x4_splat(std::numeric_limits<std::int16_t>::max());
  const v128_t lane_padding_hu = wasm_i32x4_splat(kPaddingHu);
  v128_t lanes_out_of_range = wasm_i32x4_splat(0);
  // Returns the HU of four samples and sets `padding` to all ones where a sample is padding.
  const auto convert_four = [&](v128_t raw, v128_t& padding) {
    v128_t value = wasm_v128_and(wasm_u32x4_shr(raw, static_cast<std::uint32_t>(shift)), lane_mask);
    value = wasm_i32x4_sub(wasm_v128_xor(value, lane_sign), lane_sign);
    padding = wasm_v128_and(wasm_i32x4_ge(value, lane_padding_low), wasm_i32x4_le(value, lane_padding_high));
    const v128_t hu = wasm_i32x4_add(wasm_i32x4_mul(value, lane_slope), lane_intercept);
    const v128_t outside = wasm_v128_or(wasm_i32x4_lt(hu, lane_min), wasm_i32x4_gt(hu, lane_max));
    lanes_out_of_range = wasm_v128_or(lanes_out_of_range, wasm_v128_andnot(outside, padding));
    return wasm_v128_bitselect(lane_padding_hu, wasm_v128_andnot(hu, outside), padding);
  };
  for (; s + 8 <= count; s += 8) {
    const v128_t raw = wasm_v128_load(start + 2 * s);
    v128_t padding_low_half, padding_high_half;
    const v128_t low = convert_four(wasm_u32x4_extend_low_u16x8(raw), padding_low_half);
    const v128_t high = convert_four(wasm_u32x4_extend_high_u16x8(raw), padding_high_half);
    wasm_v128_store(out + s, wasm_i16x8_narrow_i32x4(low, high));
    const v128_t padding16 = wasm_i16x8_narrow_i32x4(padding_low_half, padding_high_half);
    const v128_t padding8 = wasm_v128_and(wasm_i8x16_narrow_i16x8(padding16, padding16), wasm_i8x16_splat(1));
    wasm_v128_store64_lane(mask + s, padding8, 0);
  }
  out_of_range = wasm_v128_any_true(lanes_out_of_range) ? 1 : 0;
#endif
  for (; s < count; ++s) {
    std::uint16_t raw;
    std::memcpy(&raw, start + 2 * s, 2);
    std::int32_t value = (std::int32_t(raw) >> shift) & value_mask;
    value = (value ^ sign_bit) - sign_bit;
    const std::int32_t is_padding = (value >= padding_low) & (value <= padding_high);
    const std::int32_t hu = value * slope32 + intercept32;
    const std::int32_t outside = (hu < std::numeric_limits<std::int16_t>::min()) |
                                 (hu > std::numeric_limits<std::int16_t>::max());
    out_of_range |= outside & (is_padding ^ 1);
    out[s] = static_cast<std::int16_t>(is_padding ? kPaddingHu : (outside ? 0 : hu));
    mask[s] = static_cast<std::uint8_t>(is_padding);
  }
  fits = out_of_range == 0;
  return true;
}

}  // namespace

bool convert_frame_to_int16(const DecodedPixels& pixels, int frame, const HuMapping& mapping, std::int16_t* out,
                            std::uint8_t* mask) {
  const std::int64_t slope = std::llround(mapping.slope);
  const std::int64_t intercept = std::llround(mapping.intercept);
  bool fits = true;
  if (pixels.format.bits_allocated == 16) {
    const std::uint8_t* start = pixels.buffer.data() + static_cast<std::size_t>(frame) * pixels.frame_samples * 2;
    if (convert_16bit_to_int16(start, pixels.frame_samples, pixels.format, slope, intercept, mapping, out, mask, fits))
      return fits;
  }

  for_each_stored_value(pixels, frame, [&](std::int64_t s, std::int32_t stored) {
    if (is_padding(stored, mapping)) {
      out[s] = kPaddingHu;
      mask[s] = 1;
      return;
    }
    const std::int64_t hu = stored * slope + intercept;
    if (hu < std::numeric_limits<std::int16_t>::min() || hu > std::numeric_limits<std::int16_t>::max()) {
      fits = false;
      out[s] = 0;
    } else {
      out[s] = static_cast<std::int16_t>(hu);
    }
    mask[s] = 0;
  });
  return fits;
}

void convert_frame_to_float32(const DecodedPixels& pixels, int frame, const HuMapping& mapping, float* out,
                              std::uint8_t* mask) {
  for_each_stored_value(pixels, frame, [&](std::int64_t s, std::int32_t stored) {
    if (is_padding(stored, mapping)) {
      out[s] = kPaddingHu;
      mask[s] = 1;
      return;
    }
    out[s] = static_cast<float>(stored * mapping.slope + mapping.intercept);
    mask[s] = 0;
  });
}

}  // namespace lunglens
