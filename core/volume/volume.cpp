#include "volume/volume.h"

namespace lunglens {

std::vector<float> HuVolume::to_float32() const {
  if (voxel_type == VoxelType::float32) return float32_hu;
  return std::vector<float>(int16_hu.begin(), int16_hu.end());
}

std::int64_t HuVolume::storage_bytes() const {
  return static_cast<std::int64_t>(int16_hu.size() * sizeof(std::int16_t) +
                                   float32_hu.size() * sizeof(float) + padding_mask.size());
}

}  // namespace lunglens
