#include "segment/canonical_ct.h"

#include <algorithm>
#include <cmath>

namespace lunglens {

CanonicalCt make_canonical_ct(const HuVolume& volume) {
  CanonicalCt ct;
  ct.permutation = canonical_permutation(volume.geometry);
  ct.geometry = permute_geometry(volume.geometry, ct.permutation);
  const bool identity = ct.permutation.is_identity();

  if (volume.voxel_type == VoxelType::int16 && identity) {
    ct.hu = volume.int16_hu;
  } else if (volume.voxel_type == VoxelType::int16) {
    ct.hu_storage = permute_voxels(volume.int16_hu, volume.geometry, ct.permutation);
    ct.hu = ct.hu_storage;
  } else {
    std::vector<std::int16_t> rounded(volume.float32_hu.size());
    for (std::size_t v = 0; v < rounded.size(); ++v) {
      const float value = volume.float32_hu[v];
      rounded[v] = std::isnan(value) ? kPaddingHu
                                     : static_cast<std::int16_t>(std::lround(std::clamp(value, -32768.0f, 32767.0f)));
    }
    ct.hu_storage = identity ? std::move(rounded) : permute_voxels(rounded, volume.geometry, ct.permutation);
    ct.hu = ct.hu_storage;
  }

  if (volume.padding_mask.empty()) {
    ct.padding_storage.assign(ct.hu.size(), 0);
    ct.padding = ct.padding_storage;
  } else if (identity) {
    ct.padding = volume.padding_mask;
  } else {
    ct.padding_storage = permute_voxels(volume.padding_mask, volume.geometry, ct.permutation);
    ct.padding = ct.padding_storage;
  }
  return ct;
}

CanonicalCt crop_ct(const CanonicalCt& ct, const IndexBox& box) {
  CanonicalCt part;
  part.geometry = crop_geometry(ct.geometry, box);
  part.permutation = ct.permutation;
  part.hu_storage = crop(ct.hu, ct.geometry, box);
  part.padding_storage = crop(ct.padding, ct.geometry, box);
  part.hu = part.hu_storage;
  part.padding = part.padding_storage;
  return part;
}

}  // namespace lunglens
