// The Hounsfield-unit volume that every later stage reads.
#pragma once

#include <cstdint>
#include <vector>

#include "volume/geometry.h"

namespace lunglens {

enum class VoxelType : std::uint8_t {
  int16,    // Integer slope and intercept, HU range fits int16: lossless.
  float32,  // Fractional slope or intercept, or values outside int16.
};

// Padded voxels (PixelPaddingValue) carry this value and are flagged in padding_mask.
inline constexpr std::int16_t kPaddingHu = -1024;

struct HuVolume {
  Geometry geometry;
  VoxelType voxel_type = VoxelType::int16;

  // Voxels in HU, index i + nx * (j + ny * k). Exactly one of the two is
  // filled, as voxel_type says.
  std::vector<std::int16_t> int16_hu;
  std::vector<float> float32_hu;

  // 1 where the stored value was PixelPaddingValue (or inside the padding
  // range). Empty when the series declares no padding.
  std::vector<std::uint8_t> padding_mask;

  std::int64_t voxel_count() const { return geometry.voxel_count(); }

  float hu_at(std::int64_t index) const {
    return voxel_type == VoxelType::int16 ? static_cast<float>(int16_hu[index])
                                          : float32_hu[index];
  }

  bool is_padding(std::int64_t index) const {
    return !padding_mask.empty() && padding_mask[index] != 0;
  }

  // Returns a float32 copy of the voxels.
  std::vector<float> to_float32() const;

  // Returns the bytes held by voxel and mask buffers.
  std::int64_t storage_bytes() const;
};

}  // namespace lunglens
