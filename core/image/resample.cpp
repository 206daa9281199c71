#include "image/resample.h"

#include <algorithm>
#include <cmath>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// Block of each index along an axis, so the inner loops need no division.
std::vector<std::int64_t> block_index_table(std::int64_t count, std::int64_t factor) {
  std::vector<std::int64_t> table(count);
  for (std::int64_t i = 0; i < count; ++i) table[i] = i / factor;
  return table;
}

}  // namespace

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

Mask upsample(const Mask& coarse, const Geometry& fine_geometry, const BlockFactors& factors) {
  const Geometry coarse_geometry = block_geometry(fine_geometry, factors);
  const auto& n = fine_geometry.size;
  Mask fine(fine_geometry.voxel_count());
  const std::vector<std::int64_t> block_of_i = block_index_table(n[0], factors[0]);
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < n[1]; ++j) {
        const std::uint8_t* block_row =
            coarse.data() + coarse_geometry.linear_index(0, j / factors[1], k / factors[2]);
        std::uint8_t* row = fine.data() + fine_geometry.linear_index(0, j, k);
        for (std::int64_t i = 0; i < n[0]; ++i) row[i] = block_row[block_of_i[i]];
      }
  });
  return fine;
}

}  // namespace lunglens
