// The HU volume on the canonical grid (i towards patient left, j towards
// posterior, k towards head) as int16, which every segmentation step reads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "image/mask.h"
#include "volume/reorient.h"
#include "volume/volume.h"

namespace lunglens {

// `hu` and `padding` are views. They point into the owned storage below, or,
// when the input already lies on the canonical grid as int16 with a padding
// mask, into the HuVolume itself, which must then outlive this object. Moving
// keeps the views valid (the vectors move their buffers); copying is deleted
// because a copy would still point into the original's storage.
struct CanonicalCt {
  Geometry geometry;              // Canonical grid.
  AxisPermutation permutation;    // From the acquisition grid to the canonical one.
  std::span<const std::int16_t> hu;   // Float input is rounded and clamped to int16.
  std::span<const std::uint8_t> padding;  // 1 for padding; all zero when the input has none.

  std::vector<std::int16_t> hu_storage;  // Empty when `hu` views the input volume.
  Mask padding_storage;                  // Empty when `padding` views the input volume.

  CanonicalCt() = default;
  CanonicalCt(CanonicalCt&&) = default;
  CanonicalCt& operator=(CanonicalCt&&) = default;
  CanonicalCt(const CanonicalCt&) = delete;
  CanonicalCt& operator=(const CanonicalCt&) = delete;

  bool valid(std::int64_t v) const { return !padding[v]; }
};

// Returns `volume` on the canonical grid, viewing its voxels without a copy
// where no reordering or conversion is needed. The caller has checked that
// the voxel buffers match the geometry.
CanonicalCt make_canonical_ct(const HuVolume& volume);

// Returns the part of `ct` inside `box` (same permutation, cropped geometry, owned voxels).
CanonicalCt crop_ct(const CanonicalCt& ct, const IndexBox& box);

}  // namespace lunglens
