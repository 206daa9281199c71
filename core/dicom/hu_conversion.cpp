#include "dicom/hu_conversion.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "volume/volume.h"

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

}  // namespace

bool convert_frame_to_int16(const DecodedPixels& pixels, int frame, const HuMapping& mapping, std::int16_t* out,
                            std::uint8_t* mask) {
  const std::int64_t slope = std::llround(mapping.slope);
  const std::int64_t intercept = std::llround(mapping.intercept);
  bool fits = true;
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
