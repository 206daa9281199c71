#include "image/morphology.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

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

// Per-slice morphology without a distance transform: for each row offset dy
// the element spans |dx| <= half_width[dy], and a row's distance to its
// nearest target pixel (two scans) decides each pixel in O(element rows).
// The element is the same set of offsets as the distance-transform path.
Mask morph_per_slice(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, bool dilation) {
  const auto& n = geometry.size;
  const double sx = geometry.spacing_mm[0], sy = geometry.spacing_mm[1];
  const auto rows = static_cast<std::int64_t>(std::floor(element.radius_mm[1] / sy * kUnitWithTolerance));
  std::vector<std::int64_t> half_width(2 * rows + 1);
  for (std::int64_t dy = -rows; dy <= rows; ++dy) {
    const double t = double(dy) * sy / element.radius_mm[1];
    const double remaining = std::max(0.0, double(kUnitWithTolerance) - t * t);
    half_width[dy + rows] = static_cast<std::int64_t>(std::floor(element.radius_mm[0] / sx * std::sqrt(remaining)));
  }

  // Dilation looks for foreground within reach; erosion for background.
  // Rows without foreground are skipped: in dilation they hold no target,
  // and in erosion every pixel whose element reaches such a row (offset
  // (0, dy) is always in the element) is eroded, so they are never read.
  const std::uint8_t target = dilation ? 1 : 0;
  const std::int64_t far = n[0] + 1;
  const std::int64_t slice_size = n[0] * n[1];
  Mask out(mask.size());
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int32_t> reach(slice_size);
    std::vector<std::int64_t> foreground_rows_before(n[1] + 1);  // Rows with foreground among rows 0..j-1.
    for (std::int64_t k = begin; k < end; ++k) {
      const std::uint8_t* slice = mask.data() + k * slice_size;
      for (std::int64_t j = 0; j < n[1]; ++j) {
        const std::uint8_t* row = slice + j * n[0];
        const bool has_foreground = std::any_of(row, row + n[0], [](std::uint8_t value) { return value != 0; });
        foreground_rows_before[j + 1] = foreground_rows_before[j] + (has_foreground ? 1 : 0);
        if (!has_foreground) continue;

        std::int32_t* distance = reach.data() + j * n[0];
        std::int64_t last = -far;
        for (std::int64_t i = 0; i < n[0]; ++i) {
          if ((row[i] != 0) == (target != 0)) last = i;
          distance[i] = static_cast<std::int32_t>(std::min(i - last, far));
        }
        last = n[0] + far;
        for (std::int64_t i = n[0] - 1; i >= 0; --i) {
          if ((row[i] != 0) == (target != 0)) last = i;
          distance[i] = static_cast<std::int32_t>(std::min<std::int64_t>(distance[i], last - i));
        }
      }
      std::uint8_t* result = out.data() + k * slice_size;
      for (std::int64_t j = 0; j < n[1]; ++j) {
        const std::int64_t first_row = std::max<std::int64_t>(0, j - rows);
        const std::int64_t end_row = std::min(n[1], j + rows + 1);
        const std::int64_t foreground_rows = foreground_rows_before[end_row] - foreground_rows_before[first_row];
        // Dilation: no foreground within the element's rows, so no pixel of
        // row j is hit. Erosion: a row of background within them, so every pixel is.
        if (dilation ? foreground_rows == 0 : foreground_rows < end_row - first_row) {
          std::fill(result + j * n[0], result + (j + 1) * n[0], 0);
          continue;
        }
        // Erosion reaches this point only when row j has foreground, dilation also without.
        const bool own_row_has_foreground = foreground_rows_before[j + 1] > foreground_rows_before[j];
        for (std::int64_t i = 0; i < n[0]; ++i) {
          // The pixel's own row decides most pixels (those inside a target run), so it is checked first.
          bool hit = own_row_has_foreground && reach[j * n[0] + i] <= half_width[rows];
          const std::int64_t dy0 = std::max(-rows, -j), dy1 = std::min(rows, n[1] - 1 - j);
          for (std::int64_t dy = dy0; dy <= dy1 && !hit; ++dy) {
            const std::int64_t other = j + dy;
            if (dy == 0 || foreground_rows_before[other + 1] == foreground_rows_before[other]) continue;
            hit = reach[other * n[0] + i] <= half_width[dy + rows];
          }
          result[j * n[0] + i] = dilation ? hit : !hit;
        }
      }
    }
  });
  return out;
}

// Dilating or eroding a mask without foreground gives an empty mask. The
// check skips the distance transform, for example in an opening whose
// erosion left nothing.
bool has_foreground(const Mask& mask) {
  return std::any_of(mask.begin(), mask.end(), [](std::uint8_t value) { return value != 0; });
}

}  // namespace

Mask dilate(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  if (!has_foreground(mask)) {
    unit_ball_geometry(geometry, element, scope);  // Validates the radii.
    return Mask(mask.size(), 0);
  }
  if (scope == FilterScope::per_slice) {
    unit_ball_geometry(geometry, element, scope);  // Validates the radii.
    return morph_per_slice(mask, geometry, element, true);
  }
  const Geometry scaled = unit_ball_geometry(geometry, element, scope);
  return threshold_within_unit(squared_distance_mm2(mask, scaled, scope), true);
}

Mask erode(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  if (!has_foreground(mask)) {
    unit_ball_geometry(geometry, element, scope);  // Validates the radii.
    return Mask(mask.size(), 0);
  }
  if (scope == FilterScope::per_slice) {
    unit_ball_geometry(geometry, element, scope);  // Validates the radii.
    return morph_per_slice(mask, geometry, element, false);
  }
  const Geometry scaled = unit_ball_geometry(geometry, element, scope);
  Mask background(mask.size());
  for_each_voxel(mask.size(), [&](std::int64_t v) { background[v] = mask[v] ? 0 : 1; });
  return threshold_within_unit(squared_distance_mm2(background, scaled, scope), false);
}

Mask close(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  return erode(dilate(mask, geometry, element, scope), geometry, element, scope);
}

Mask open(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  return dilate(erode(mask, geometry, element, scope), geometry, element, scope);
}

}  // namespace lunglens
