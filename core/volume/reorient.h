// Reorientation to the canonical frame by axis permutation and flips only
// (no interpolation): index axis i runs towards patient left (+x in LPS),
// j towards posterior (+y), k towards head (+z). After it, voxel (0, 0, 0) is
// the right-anterior-inferior corner, whatever the patient position (HFS, FFS,
// HFP, ...) or slice order, so left and right are decided in patient
// coordinates. Oblique rotations stay in Geometry::axes.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "volume/geometry.h"
#include "volume/volume.h"

namespace lunglens {

struct AxisPermutation {
  // Output axis a reads input axis source_axis[a], reversed when flipped[a].
  std::array<int, 3> source_axis{0, 1, 2};
  std::array<bool, 3> flipped{false, false, false};

  bool is_identity() const {
    return source_axis == std::array<int, 3>{0, 1, 2} && !flipped[0] && !flipped[1] && !flipped[2];
  }
};

// Returns the permutation that brings `geometry` closest to the canonical frame.
AxisPermutation canonical_permutation(const Geometry& geometry);

// Returns the geometry of the permuted grid; it describes the same LPS positions.
Geometry permute_geometry(const Geometry& source, const AxisPermutation& permutation);

// Returns the voxels of `source` (laid out on grid `source_geometry`) on the permuted grid.
template <class T>
std::vector<T> permute_voxels(const std::vector<T>& source, const Geometry& source_geometry,
                              const AxisPermutation& permutation) {
  if (permutation.is_identity() || source.empty()) return source;

  const auto& n = source_geometry.size;
  std::array<std::int64_t, 3> out_size{};
  for (int a = 0; a < 3; ++a) out_size[a] = n[permutation.source_axis[a]];

  // Source strides per input axis, then per output axis (with sign for flips).
  const std::array<std::int64_t, 3> source_stride{1, n[0], n[0] * n[1]};
  std::array<std::int64_t, 3> stride{};
  std::int64_t start = 0;
  for (int a = 0; a < 3; ++a) {
    const int s = permutation.source_axis[a];
    if (permutation.flipped[a]) {
      stride[a] = -source_stride[s];
      start += (n[s] - 1) * source_stride[s];
    } else {
      stride[a] = source_stride[s];
    }
  }

  std::vector<T> out(source.size());
  std::int64_t o = 0;
  for (std::int64_t k = 0; k < out_size[2]; ++k) {
    for (std::int64_t j = 0; j < out_size[1]; ++j) {
      std::int64_t index = start + k * stride[2] + j * stride[1];
      for (std::int64_t i = 0; i < out_size[0]; ++i, index += stride[0]) out[o++] = source[index];
    }
  }
  return out;
}

// Returns the inverse permutation, so masks computed on the canonical grid can
// be mapped back to the acquisition grid.
AxisPermutation inverse_permutation(const AxisPermutation& permutation);

// Returns `volume` on the canonical grid (a copy; the input is untouched).
HuVolume reorient_to_canonical(const HuVolume& volume);

}  // namespace lunglens
