#include "segment/canonical_ct.h"

#include <algorithm>
#include <cmath>

namespace lunglens {

CanonicalCt make_canonical_ct(const HuVolume& volume) {
  CanonicalCt ct;
  ct.permutation = canonical_permutation(volume.geometry);
  ct.geometry = permute_geometry(volume.geometry, ct.permutation);

  if (volume.voxel_type == VoxelType::int16) {
    ct.hu = permute_voxels(volume.int16_hu, volume.geometry, ct.permutation);
  } else {
    std::vector<std::int16_t> rounded(volume.float32_hu.size());
    for (std::size_t v = 0; v < rounded.size(); ++v) {
      const float value = volume.float32_hu[v];
      rounded[v] = std::isnan(value) ? kPaddingHu
                                     : static_cast<std::int16_t>(std::lround(std::clamp(value, -32768.0f, 32767.0f)));
    }
    ct.hu = permute_voxels(rounded, volume.geometry, ct.permutation);
  }

  if (volume.padding_mask.empty()) ct.padding.assign(ct.hu.size(), 0);
  else ct.padding = permute_voxels(volume.padding_mask, volume.geometry, ct.permutation);
  return ct;
}

CanonicalCt crop_ct(const CanonicalCt& ct, const IndexBox& box) {
  CanonicalCt part;
  part.geometry = crop_geometry(ct.geometry, box);
  part.permutation = ct.permutation;
  part.hu = crop(ct.hu, ct.geometry, box);
  part.padding = crop(ct.padding, ct.geometry, box);
  return part;
}

std::vector<std::uint8_t> to_acquisition_grid(const std::vector<std::uint8_t>& labels, const CanonicalCt& ct) {
  return permute_voxels(labels, ct.geometry, inverse_permutation(ct.permutation));
}

}  // namespace lunglens
