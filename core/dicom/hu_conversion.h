// Conversion of decoded stored values to Hounsfield units.
#pragma once

#include <cstdint>
#include <optional>

#include "dicom/pixel_decoder.h"

namespace lunglens {

// Mapping of one frame's stored values to HU.
struct HuMapping {
  double slope = 1.0;
  double intercept = 0.0;
  // Stored values in [padding_low, padding_high] are padding (PixelPaddingValue
  // alone gives a one-value range; with PixelPaddingRangeLimit, either order).
  std::optional<std::int32_t> padding_low;
  std::int32_t padding_high = 0;
};

// Returns the stored value of one raw sample: the BitsStored bits ending at
// HighBit, with anything above them (overlay or junk bits) masked off, and
// sign-extended for PixelRepresentation 1 (so 12-bit 0x0F00 reads -256).
inline std::int32_t stored_value(std::uint32_t raw, const StoredValueFormat& format) {
  const int shift = format.high_bit + 1 - format.bits_stored;
  std::uint32_t value = raw >> shift;
  if (format.bits_stored < 32) value &= (std::uint32_t(1) << format.bits_stored) - 1u;
  if (format.is_signed && format.bits_stored < 32 && (value >> (format.bits_stored - 1)) != 0)
    return static_cast<std::int32_t>(static_cast<std::int64_t>(value) - (std::int64_t(1) << format.bits_stored));
  return static_cast<std::int32_t>(value);
}

// Converts `count` samples of frame `frame` of `pixels` to HU in `out`
// (padding -> kPaddingHu with mask 1). Returns false when a value does not
// fit int16 (the caller then converts to float32 instead); the integer path
// is exact because slope and intercept are integers there.
bool convert_frame_to_int16(const DecodedPixels& pixels, int frame, const HuMapping& mapping, std::int16_t* out,
                            std::uint8_t* mask);

// Converts one frame to float32 HU.
void convert_frame_to_float32(const DecodedPixels& pixels, int frame, const HuMapping& mapping, float* out,
                              std::uint8_t* mask);

}  // namespace lunglens
