// Block downsampling and nearest-neighbour upsampling of masks by integer
// factors, for steps that need the anatomy but not every voxel (body outline,
// large closings, splitting the lungs).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "image/mask.h"
#include "parallel/parallel_for.h"

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

// Returns the block grid of the fine voxels v for which is_set(v) is true,
// without building that fine mask first. is_set must be safe to call from
// several threads at once.
template <class IsSet>
Mask downsample_where(const Geometry& fine_geometry, const BlockFactors& factors, BlockRule rule, IsSet&& is_set);

// Returns the fine mask in which each voxel takes the value of its block.
Mask upsample(const Mask& coarse, const Geometry& fine_geometry, const BlockFactors& factors);

// Clears the voxels of `fine` whose block in `coarse` is not set: the same as
// a voxel-wise AND with upsample(coarse), without building that mask.
void clear_outside_blocks(Mask& fine, const Geometry& fine_geometry, const Mask& coarse, const BlockFactors& factors);

namespace detail {

// Adds to counts[b] the voxels v of the row starting at `row` (`width`
// voxels) in block b of `factor` voxels for which is_set(v) is true. The
// common factors get a loop of fixed length, which the compiler can unroll.
template <std::int64_t Factor, class IsSet>
std::int64_t count_full_blocks(std::int64_t row, std::int64_t blocks, std::int32_t* counts, const IsSet& is_set) {
  for (std::int64_t b = 0; b < blocks; ++b) {
    std::int32_t count = 0;
    for (std::int64_t i = 0; i < Factor; ++i) count += is_set(row + b * Factor + i) ? 1 : 0;
    counts[b] += count;
  }
  return blocks;
}

template <class IsSet>
void count_row_blocks(std::int64_t row, std::int64_t width, std::int64_t factor, std::int32_t* counts,
                      const IsSet& is_set) {
  const std::int64_t full = width / factor;
  std::int64_t done = 0;
  switch (factor) {
    case 1: done = count_full_blocks<1>(row, full, counts, is_set); break;
    case 2: done = count_full_blocks<2>(row, full, counts, is_set); break;
    case 3: done = count_full_blocks<3>(row, full, counts, is_set); break;
    case 4: done = count_full_blocks<4>(row, full, counts, is_set); break;
    case 5: done = count_full_blocks<5>(row, full, counts, is_set); break;
    case 6: done = count_full_blocks<6>(row, full, counts, is_set); break;
    default: break;
  }
  for (std::int64_t b = done; b * factor < width; ++b) {
    std::int32_t count = 0;
    for (std::int64_t i = b * factor; i < std::min(width, (b + 1) * factor); ++i) count += is_set(row + i) ? 1 : 0;
    counts[b] += count;
  }
}

}  // namespace detail

template <class IsSet>
Mask downsample_where(const Geometry& fine_geometry, const BlockFactors& factors, BlockRule rule, IsSet&& is_set) {
  const Geometry coarse_geometry = block_geometry(fine_geometry, factors);
  const auto& n = fine_geometry.size;
  const auto& m = coarse_geometry.size;
  Mask coarse(static_cast<std::size_t>(coarse_geometry.voxel_count()), 0);

  // Blocks at the far edges may be cut short; a block's voxel count is the
  // product of its extents along the three axes.
  const auto extent = [&](int axis, std::int64_t block) {
    return std::min(n[axis], (block + 1) * factors[axis]) - block * factors[axis];
  };
  parallel_for(0, m[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int32_t> set_count(static_cast<std::size_t>(m[0] * m[1]));
    for (std::int64_t ck = begin; ck < end; ++ck) {
      std::fill(set_count.begin(), set_count.end(), 0);
      for (std::int64_t k = ck * factors[2]; k < std::min(n[2], (ck + 1) * factors[2]); ++k)
        for (std::int64_t j = 0; j < n[1]; ++j) {
          const std::int64_t row = fine_geometry.linear_index(0, j, k);
          std::int32_t* counts = set_count.data() + (j / factors[1]) * m[0];
          detail::count_row_blocks(row, n[0], factors[0], counts, is_set);
        }

      for (std::int64_t cj = 0; cj < m[1]; ++cj)
        for (std::int64_t b = 0; b < m[0]; ++b) {
          const std::int64_t set = set_count[cj * m[0] + b];
          const std::int64_t total = extent(0, b) * extent(1, cj) * extent(2, ck);
          bool value = false;
          switch (rule) {
            case BlockRule::any: value = set > 0; break;
            case BlockRule::majority: value = 2 * set >= total; break;
            case BlockRule::all: value = set == total; break;
          }
          coarse[(ck * m[1] + cj) * m[0] + b] = value;
        }
    }
  });
  return coarse;
}

}  // namespace lunglens
