// Body outline: the patient without the table, clothing, air around the body and padding.
#pragma once

#include <array>
#include <cstdint>

#include "image/mask.h"
#include "image/resample.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

// Returns, per axial slice, the largest tissue region (above
// SegmentOptions::body_threshold_hu, padding excluded) after a 4 mm opening
// that cuts thin bridges to the table, closed by 8 mm and with its holes
// (lungs, airways, bowel gas) filled. Works on about 4 mm in-plane blocks.
Mask body_mask(const CanonicalCt& ct, const SegmentOptions& options);

// The chest wall zone on its block grid, read at voxels of the fine grid or
// of a box cut out of it, without a fine-grid copy.
struct ChestWallZone {
  Mask blocks;                 // 1 for blocks of the zone, on the block grid of the fine grid.
  Geometry block_geometry;
  BlockFactors factors{1, 1, 1};
  std::array<std::int64_t, 3> offset{0, 0, 0};  // Fine-grid index of voxel (0, 0, 0) of the grid being read.

  // Returns the blocks of row (j, k) of the grid being read; voxel i of the
  // row lies in block block_column(i) of them. Loops look the columns up
  // once per box, so that no voxel needs a division.
  const std::uint8_t* block_row(std::int64_t j, std::int64_t k) const {
    return blocks.data() + block_geometry.linear_index(0, (j + offset[1]) / factors[1], (k + offset[2]) / factors[2]);
  }
  std::int64_t block_column(std::int64_t i) const { return (i + offset[0]) / factors[0]; }

  // Returns the zone read at the voxels of `box` of the grid being read.
  ChestWallZone within(const IndexBox& box) const;
};

// Returns the blocks of `body` whose centre lies within
// SegmentOptions::chest_wall_depth_mm (plus half a block) of the body surface
// in their axial slice: the chest wall and the costal pleura, but not the
// hila, the mediastinum or the liver dome. Works on about 4 mm in-plane
// blocks. The zone also covers voxels of a block outside the body, so callers
// combine it with the body mask.
ChestWallZone chest_wall_zone(const Mask& body, const Geometry& geometry, const SegmentOptions& options);

}  // namespace lunglens
