#include "volume/reorient.h"

#include <cmath>

namespace lunglens {

AxisPermutation canonical_permutation(const Geometry& geometry) {
  // Assign each LPS direction to the index axis most aligned with it, taking
  // the strongest alignments first so that oblique data still gets a
  // one-to-one assignment.
  AxisPermutation permutation;
  std::array<bool, 3> axis_used{false, false, false};
  std::array<bool, 3> direction_done{false, false, false};
  for (int round = 0; round < 3; ++round) {
    double best = -1.0;
    int best_axis = 0;
    int best_direction = 0;
    for (int axis = 0; axis < 3; ++axis) {
      if (axis_used[axis]) continue;
      for (int direction = 0; direction < 3; ++direction) {
        if (direction_done[direction]) continue;
        const double alignment = std::abs(geometry.axes[axis][direction]);
        if (alignment > best) {
          best = alignment;
          best_axis = axis;
          best_direction = direction;
        }
      }
    }
    axis_used[best_axis] = true;
    direction_done[best_direction] = true;
    permutation.source_axis[best_direction] = best_axis;
    permutation.flipped[best_direction] = geometry.axes[best_axis][best_direction] < 0.0;
  }
  return permutation;
}

Geometry permute_geometry(const Geometry& source, const AxisPermutation& permutation) {
  Geometry out = source;
  Vec3 corner{0.0, 0.0, 0.0};
  for (int a = 0; a < 3; ++a) {
    const int s = permutation.source_axis[a];
    out.size[a] = source.size[s];
    out.spacing_mm[a] = source.spacing_mm[s];
    out.axes[a] = source.axes[s];
    if (permutation.flipped[a]) {
      for (int c = 0; c < 3; ++c) out.axes[a][c] = -out.axes[a][c];
      corner[s] = static_cast<double>(source.size[s] - 1);
    }
  }
  out.origin_mm = source.index_to_lps(corner);
  return out;
}

AxisPermutation inverse_permutation(const AxisPermutation& permutation) {
  AxisPermutation inverse;
  for (int a = 0; a < 3; ++a) {
    const int s = permutation.source_axis[a];
    inverse.source_axis[s] = a;
    inverse.flipped[s] = permutation.flipped[a];
  }
  return inverse;
}

HuVolume reorient_to_canonical(const HuVolume& volume) {
  const AxisPermutation permutation = canonical_permutation(volume.geometry);
  HuVolume out;
  out.geometry = permute_geometry(volume.geometry, permutation);
  out.voxel_type = volume.voxel_type;
  out.int16_hu = permute_voxels(volume.int16_hu, volume.geometry, permutation);
  out.float32_hu = permute_voxels(volume.float32_hu, volume.geometry, permutation);
  out.padding_mask = permute_voxels(volume.padding_mask, volume.geometry, permutation);
  return out;
}

}  // namespace lunglens
