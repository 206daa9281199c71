#include "image/morphology.h"

#include <stdexcept>

#include "image/distance_transform.h"
#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// The grid with spacing divided by the semi-axes, where the ellipsoid is the
// unit ball. A small tolerance keeps voxels exactly on the surface inside.
Geometry unit_ball_geometry(const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  Geometry scaled = geometry;
  for (int a = 0; a < 3; ++a) {
    if (a == 2 && scope == FilterScope::per_slice) continue;
    if (!(element.radius_mm[a] > 0.0))
      throw std::invalid_argument("structuring element radius must be positive, got " +
                                  std::to_string(element.radius_mm[a]) + " mm");
    scaled.spacing_mm[a] = geometry.spacing_mm[a] / element.radius_mm[a];
  }
  return scaled;
}

constexpr float kUnitWithTolerance = 1.0f + 1e-5f;

Mask threshold_within_unit(const std::vector<float>& squared_distance, bool inside) {
  Mask out(squared_distance.size());
  parallel_for(0, static_cast<std::int64_t>(out.size()), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t v = begin; v < end; ++v)
      out[v] = (squared_distance[v] <= kUnitWithTolerance) == inside ? 1 : 0;
  }, 1 << 16);
  return out;
}

}  // namespace

Mask dilate(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  const Geometry scaled = unit_ball_geometry(geometry, element, scope);
  return threshold_within_unit(squared_distance_mm2(mask, scaled, scope), true);
}

Mask erode(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  const Geometry scaled = unit_ball_geometry(geometry, element, scope);
  Mask background(mask.size());
  for (std::size_t v = 0; v < mask.size(); ++v) background[v] = mask[v] ? 0 : 1;
  return threshold_within_unit(squared_distance_mm2(background, scaled, scope), false);
}

Mask close(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  return erode(dilate(mask, geometry, element, scope), geometry, element, scope);
}

Mask open(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  return dilate(erode(mask, geometry, element, scope), geometry, element, scope);
}

}  // namespace lunglens
