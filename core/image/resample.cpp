#include "image/resample.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "parallel/parallel_for.h"

namespace lunglens {

BlockFactors block_factors_for(const Geometry& geometry, double target_mm) {
  BlockFactors factors{1, 1, 1};
  for (int a = 0; a < 3; ++a) {
    const double ratio = target_mm / geometry.spacing_mm[a];
    factors[a] = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(ratio + 1e-6)), 1,
                                          std::max<std::int64_t>(1, geometry.size[a]));
  }
  return factors;
}

Geometry block_geometry(const Geometry& fine, const BlockFactors& factors) {
  Geometry coarse = fine;
  Vec3 centre{};
  for (int a = 0; a < 3; ++a) {
    coarse.size[a] = (fine.size[a] + factors[a] - 1) / factors[a];
    coarse.spacing_mm[a] = fine.spacing_mm[a] * static_cast<double>(factors[a]);
    centre[a] = 0.5 * static_cast<double>(factors[a] - 1);
  }
  coarse.origin_mm = fine.index_to_lps(centre);
  return coarse;
}

Mask downsample(const Mask& fine, const Geometry& fine_geometry, const BlockFactors& factors, BlockRule rule) {
  return downsample_where(fine_geometry, factors, rule,
                          [voxels = fine.data()](std::int64_t v) { return voxels[v] != 0; });
}

namespace {

// Calls visit(row, block_row, block_of, repeats) for each row of fine voxels.
// block_row holds the values of the row's blocks, block_of[i] is the block of
// column i, and `repeats` is true when the row above (row - width) lies in the
// same blocks. Rows are written voxel by voxel, because in WebAssembly a fill
// call per run of a few voxels costs more than the run.
template <class Visit>
void for_each_block_row(Mask& fine, const Geometry& fine_geometry, const Mask& coarse, const BlockFactors& factors,
                        Visit&& visit) {
  const Geometry coarse_geometry = block_geometry(fine_geometry, factors);
  const std::int64_t nx = fine_geometry.size[0], ny = fine_geometry.size[1];
  const std::int64_t mx = coarse_geometry.size[0], my = coarse_geometry.size[1];
  std::vector<std::int32_t> block_of(static_cast<std::size_t>(nx));
  for (std::int64_t i = 0; i < nx; ++i) block_of[i] = static_cast<std::int32_t>(i / factors[0]);
  parallel_for(0, fine_geometry.size[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::uint8_t* block_row = coarse.data() + ((k / factors[2]) * my + j / factors[1]) * mx;
        visit(fine.data() + (k * ny + j) * nx, block_row, block_of.data(), j % factors[1] != 0);
      }
  });
}

}  // namespace

Mask upsample(const Mask& coarse, const Geometry& fine_geometry, const BlockFactors& factors) {
  Mask fine(fine_geometry.voxel_count());
  const std::int64_t nx = fine_geometry.size[0];
  for_each_block_row(fine, fine_geometry, coarse, factors,
                     [nx](std::uint8_t* row, const std::uint8_t* block_row, const std::int32_t* block_of, bool repeats) {
                       if (repeats) {
                         std::memcpy(row, row - nx, static_cast<std::size_t>(nx));
                         return;
                       }
                       for (std::int64_t i = 0; i < nx; ++i) row[i] = block_row[block_of[i]];
                     });
  return fine;
}

void clear_outside_blocks(Mask& fine, const Geometry& fine_geometry, const Mask& coarse, const BlockFactors& factors) {
  const std::int64_t nx = fine_geometry.size[0];
  for_each_block_row(fine, fine_geometry, coarse, factors,
                     [nx](std::uint8_t* row, const std::uint8_t* block_row, const std::int32_t* block_of, bool) {
                       for (std::int64_t i = 0; i < nx; ++i)
                         if (!block_row[block_of[i]]) row[i] = 0;
                     });
}

}  // namespace lunglens
