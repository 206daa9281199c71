#include "image/resample.h"

#include <algorithm>
#include <cmath>

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
  return downsample_where(fine_geometry, factors, rule, [&fine](std::int64_t v) { return fine[v] != 0; });
}

namespace {

// Calls visit(begin, end, value) for each run [begin, end) of fine voxels
// that lie in one row and one block, with the value of that block.
template <class Visit>
void for_each_block_run(const Geometry& fine_geometry, const Mask& coarse, const BlockFactors& factors,
                        Visit&& visit) {
  const Geometry coarse_geometry = block_geometry(fine_geometry, factors);
  const auto& n = fine_geometry.size;
  const auto& m = coarse_geometry.size;
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < n[1]; ++j) {
        const std::uint8_t* block_row =
            coarse.data() + coarse_geometry.linear_index(0, j / factors[1], k / factors[2]);
        const std::int64_t row = fine_geometry.linear_index(0, j, k);
        for (std::int64_t b = 0; b < m[0]; ++b)
          visit(row + b * factors[0], row + std::min(n[0], (b + 1) * factors[0]), block_row[b]);
      }
  });
}

}  // namespace

Mask upsample(const Mask& coarse, const Geometry& fine_geometry, const BlockFactors& factors) {
  Mask fine(fine_geometry.voxel_count());
  for_each_block_run(fine_geometry, coarse, factors, [&](std::int64_t begin, std::int64_t end, std::uint8_t value) {
    std::fill(fine.begin() + begin, fine.begin() + end, value);
  });
  return fine;
}

void clear_outside_blocks(Mask& fine, const Geometry& fine_geometry, const Mask& coarse, const BlockFactors& factors) {
  for_each_block_run(fine_geometry, coarse, factors, [&](std::int64_t begin, std::int64_t end, std::uint8_t value) {
    if (!value) std::fill(fine.begin() + begin, fine.begin() + end, 0);
  });
}

}  // namespace lunglens
