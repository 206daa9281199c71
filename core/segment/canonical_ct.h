// The HU volume on the canonical grid (i towards patient left, j towards
// posterior, k towards head) as int16, which every segmentation step reads.
#pragma once

#include <cstdint>
#include <vector>

#include "image/mask.h"
#include "volume/reorient.h"
#include "volume/volume.h"

namespace lunglens {

struct CanonicalCt {
  Geometry geometry;              // Canonical grid.
  AxisPermutation permutation;    // From the acquisition grid to the canonical one.
  std::vector<std::int16_t> hu;   // Float input is rounded and clamped to int16.
  Mask padding;                   // 1 for padding; all zero when the input has none.

  bool valid(std::int64_t v) const { return !padding[v]; }
};

// Returns `volume` on the canonical grid. The caller has checked that the
// voxel buffers match the geometry.
CanonicalCt make_canonical_ct(const HuVolume& volume);

// Returns the part of `ct` inside `box` (same permutation, cropped geometry).
CanonicalCt crop_ct(const CanonicalCt& ct, const IndexBox& box);

// Returns a canonical-grid label volume on the acquisition grid of `ct`.
std::vector<std::uint8_t> to_acquisition_grid(const std::vector<std::uint8_t>& labels, const CanonicalCt& ct);

}  // namespace lunglens
