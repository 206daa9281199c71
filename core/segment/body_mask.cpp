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
  const auto is_tissue = [padding = ct.padding.data(), hu = ct.hu.data(),
                          threshold = options.body_threshold_hu](std::int64_t v) {
    return (padding[v] == 0) & (hu[v] > threshold);  // No branch, so the block counting vectorises.
  };
  Mask coarse = downsample_where(ct.geometry, factors, BlockRule::majority, is_tissue);

  coarse = open(coarse, coarse_geometry, Ellipsoid::ball(kOpeningRadiusMm), FilterScope::per_slice);
  coarse = largest_component(coarse, coarse_geometry, Connectivity::full, FilterScope::per_slice);
  coarse = close(coarse, coarse_geometry, Ellipsoid::ball(kClosingRadiusMm), FilterScope::per_slice);
  coarse = fill_holes(coarse, coarse_geometry, FilterScope::per_slice);

  // Each voxel takes the value of its block, except padding. The loops use
  // raw pointers, so that the byte stores force no reloads (see map_voxels).
  const std::int64_t nx = ct.geometry.size[0], ny = ct.geometry.size[1];
  const std::int64_t blocks_x = coarse_geometry.size[0], block_x = factors[0], block_y = factors[1];
  Mask body(ct.hu.size());
  std::uint8_t* body_voxels = body.data();
  const std::uint8_t* padding = ct.padding.data();
  const std::uint8_t* blocks = coarse.data();
  std::vector<std::int32_t> block_of_column(static_cast<std::size_t>(nx));
  for (std::int64_t i = 0; i < nx; ++i) block_of_column[i] = static_cast<std::int32_t>(i / block_x);
  const std::int32_t* block_of = block_of_column.data();
  parallel_for(0, ct.geometry.size[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::uint8_t> expanded(static_cast<std::size_t>(nx));  // Block values of one row, per voxel.
    std::uint8_t* const blocks_at_voxels = expanded.data();
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < ny; ++j) {
        if (j % block_y == 0) {
          const std::uint8_t* block_row = blocks + (k * coarse_geometry.size[1] + j / block_y) * blocks_x;
          for (std::int64_t i = 0; i < nx; ++i) blocks_at_voxels[i] = block_row[block_of[i]] != 0;
        }
        const std::uint8_t* padding_row = padding + (k * ny + j) * nx;
        std::uint8_t* body_row = body_voxels + (k * ny + j) * nx;
        for (std::int64_t i = 0; i < nx; ++i) body_row[i] = blocks_at_voxels[i] & std::uint8_t(padding_row[i] == 0);
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
