#include "segment/body_mask.h"

#include <algorithm>

#include "image/connected_components.h"
#include "image/distance_transform.h"
#include "image/hole_filling.h"
#include "image/morphology.h"
#include "image/resample.h"
#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// The outline only needs to separate body from outside air, so coarse blocks do.
constexpr double kBlockMm = 4.0;
constexpr double kOpeningRadiusMm = 4.0;
constexpr double kClosingRadiusMm = 8.0;

}  // namespace

Mask body_mask(const CanonicalCt& ct, const SegmentOptions& options) {
  BlockFactors factors = block_factors_for(ct.geometry, kBlockMm);
  factors[2] = 1;
  const Geometry coarse_geometry = block_geometry(ct.geometry, factors);
  const auto is_tissue = [&ct, threshold = options.body_threshold_hu](std::int64_t v) {
    return !ct.padding[v] && ct.hu[v] > threshold;
  };
  Mask coarse = downsample_where(ct.geometry, factors, BlockRule::majority, is_tissue);

  coarse = open(coarse, coarse_geometry, Ellipsoid::ball(kOpeningRadiusMm), FilterScope::per_slice);
  coarse = largest_component(coarse, coarse_geometry, Connectivity::full, FilterScope::per_slice);
  coarse = close(coarse, coarse_geometry, Ellipsoid::ball(kClosingRadiusMm), FilterScope::per_slice);
  coarse = fill_holes(coarse, coarse_geometry, FilterScope::per_slice);

  // Each voxel takes the value of its block, except padding.
  const auto& n = ct.geometry.size;
  const auto& m = coarse_geometry.size;
  Mask body(ct.hu.size());
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < n[1]; ++j) {
        const std::uint8_t* block_row = coarse.data() + coarse_geometry.linear_index(0, j / factors[1], k);
        const std::int64_t row = ct.geometry.linear_index(0, j, k);
        for (std::int64_t b = 0; b < m[0]; ++b) {
          const std::uint8_t value = block_row[b];
          for (std::int64_t v = row + b * factors[0]; v < row + std::min(n[0], (b + 1) * factors[0]); ++v)
            body[v] = value && !ct.padding[v];
        }
      }
  });
  return body;
}

ChestWallZone ChestWallZone::within(const IndexBox& box) const {
  ChestWallZone part = *this;
  for (int a = 0; a < 3; ++a) part.offset[a] += box.begin[a];
  return part;
}

ChestWallZone chest_wall_zone(const Mask& body, const Geometry& geometry, const SegmentOptions& options) {
  ChestWallZone zone;
  zone.factors = block_factors_for(geometry, kBlockMm);
  zone.factors[2] = 1;
  zone.block_geometry = block_geometry(geometry, zone.factors);
  const Mask coarse = downsample(body, geometry, zone.factors, BlockRule::majority);

  // The block centres sit up to half a block inside the fine outline.
  const std::vector<float> depth_mm = distance_inside_mm(coarse, zone.block_geometry, FilterScope::per_slice);
  const double half_block_mm = 0.5 * std::max(zone.block_geometry.spacing_mm[0], zone.block_geometry.spacing_mm[1]);
  zone.blocks.resize(coarse.size());
  for (std::size_t v = 0; v < coarse.size(); ++v)
    zone.blocks[v] = coarse[v] && depth_mm[v] <= options.chest_wall_depth_mm + half_block_mm;
  return zone;
}

}  // namespace lunglens
