// Block downsampling and nearest-neighbour upsampling of masks by integer
// factors, for steps that need the anatomy but not every voxel (body outline,
// large closings, splitting the lungs).
#pragma once

#include <array>
#include <cstdint>

#include "image/mask.h"

namespace lunglens {

using BlockFactors = std::array<std::int64_t, 3>;

// Returns per-axis factors that bring the spacing up to about `target_mm`
// (never below 1, so coarse axes stay as they are).
BlockFactors block_factors_for(const Geometry& geometry, double target_mm);

// Returns the grid of blocks: size rounded up, spacing times the factor,
// origin at the centre of the first block.
Geometry block_geometry(const Geometry& fine, const BlockFactors& factors);

enum class BlockRule {
  any,       // A block is set when any of its voxels is.
  majority,  // ... when at least half of its voxels are.
  all,       // ... when all of its voxels are.
};

Mask downsample(const Mask& fine, const Geometry& fine_geometry, const BlockFactors& factors, BlockRule rule);

// Returns the fine mask in which each voxel takes the value of its block.
Mask upsample(const Mask& coarse, const Geometry& fine_geometry, const BlockFactors& factors);

}  // namespace lunglens
