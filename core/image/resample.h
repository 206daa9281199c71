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

// Sets counts[b] to the sum of column_counts over block b's `factor` columns
// (fewer in the last block when `width` is not a multiple). The common
// factors get a loop of fixed length, which the compiler can unroll.
template <std::int64_t Factor, class Count>
std::int64_t add_full_blocks(const Count* column_counts, std::int64_t blocks, std::int32_t* counts) {
  for (std::int64_t b = 0; b < blocks; ++b) {
    std::int32_t sum = 0;
    for (std::int64_t i = 0; i < Factor; ++i) sum += column_counts[b * Factor + i];
    counts[b] = sum;
  }
  return blocks;
}

template <class Count>
void add_block_sums(const Count* column_counts, std::int64_t width, std::int64_t factor, std::int32_t* counts) {
  const std::int64_t full = width / factor;
  std::int64_t done = 0;
  switch (factor) {
    case 1: done = add_full_blocks<1>(column_counts, full, counts); break;
    case 2: done = add_full_blocks<2>(column_counts, full, counts); break;
    case 3: done = add_full_blocks<3>(column_counts, full, counts); break;
    case 4: done = add_full_blocks<4>(column_counts, full, counts); break;
    case 5: done = add_full_blocks<5>(column_counts, full, counts); break;
    case 6: done = add_full_blocks<6>(column_counts, full, counts); break;
    default: break;
  }
  for (std::int64_t b = done; b * factor < width; ++b) {
    std::int32_t sum = 0;
    const std::int64_t last = std::min(width, (b + 1) * factor);
    for (std::int64_t i = b * factor; i < last; ++i) sum += column_counts[i];
    counts[b] = sum;
  }
}

// Sets counts[b] (b along the columns i) to the voxels v of one block row
// for which is_set(v) is true. The rows of the block row are first added up
// column by column, a loop without branches that the compiler vectorises,
// then each block sums its columns. `Count` must hold the block's rows.
template <class Count, class IsSet>
void count_block_row(const Geometry& geometry, std::int64_t j_begin, std::int64_t j_end, std::int64_t k_begin,
                     std::int64_t k_end, std::int64_t factor, std::vector<Count>& column_counts, std::int32_t* counts,
                     const IsSet& is_set) {
  const std::int64_t width = geometry.size[0];
  Count* const columns = column_counts.data();
  std::fill_n(columns, width, Count{0});
  for (std::int64_t k = k_begin; k < k_end; ++k)
    for (std::int64_t j = j_begin; j < j_end; ++j) {
      const std::int64_t row = geometry.linear_index(0, j, k);
      for (std::int64_t i = 0; i < width; ++i) columns[i] = static_cast<Count>(columns[i] + (is_set(row + i) ? 1 : 0));
    }
  add_block_sums(columns, width, factor, counts);
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
  std::vector<std::int32_t> x_extent(static_cast<std::size_t>(m[0]));
  for (std::int64_t b = 0; b < m[0]; ++b) x_extent[b] = static_cast<std::int32_t>(extent(0, b));
  // 16-bit column counts (8 per SIMD vector) unless a block has more rows.
  const bool narrow = factors[1] * factors[2] <= 0xffff;
  parallel_for(0, m[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::uint16_t> narrow_counts(narrow ? static_cast<std::size_t>(n[0]) : 0);
    std::vector<std::int32_t> wide_counts(narrow ? 0 : static_cast<std::size_t>(n[0]));
    std::vector<std::int32_t> block_counts(static_cast<std::size_t>(m[0]));
    const std::int32_t* const set = block_counts.data();
    const std::int32_t* const width = x_extent.data();
    const std::int64_t blocks = m[0];
    for (std::int64_t ck = begin; ck < end; ++ck)
      for (std::int64_t cj = 0; cj < m[1]; ++cj) {
        const std::int64_t j_begin = cj * factors[1], j_end = std::min(n[1], j_begin + factors[1]);
        const std::int64_t k_begin = ck * factors[2], k_end = std::min(n[2], k_begin + factors[2]);
        if (narrow)
          detail::count_block_row(fine_geometry, j_begin, j_end, k_begin, k_end, factors[0], narrow_counts,
                                  block_counts.data(), is_set);
        else
          detail::count_block_row(fine_geometry, j_begin, j_end, k_begin, k_end, factors[0], wide_counts,
                                  block_counts.data(), is_set);

        // The rule per block row, in loops without branches.
        const std::int64_t rows = (j_end - j_begin) * (k_end - k_begin);
        std::uint8_t* const out = coarse.data() + (ck * m[1] + cj) * m[0];
        switch (rule) {
          case BlockRule::any:
            for (std::int64_t b = 0; b < blocks; ++b) out[b] = set[b] > 0;
            break;
          case BlockRule::majority:
            for (std::int64_t b = 0; b < blocks; ++b) out[b] = 2 * std::int64_t{set[b]} >= std::int64_t{width[b]} * rows;
            break;
          case BlockRule::all:
            for (std::int64_t b = 0; b < blocks; ++b) out[b] = set[b] == std::int64_t{width[b]} * rows;
            break;
        }
      }
  });
  return coarse;
}

}  // namespace lunglens
