#include "segment/ribcage.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

using Point = std::array<std::int64_t, 2>;  // (i, j)

std::int64_t cross(const Point& o, const Point& a, const Point& b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

// Returns the convex hull of `points` counter-clockwise (Andrew's monotone chain).
std::vector<Point> convex_hull(std::vector<Point> points) {
  std::sort(points.begin(), points.end());
  if (points.size() < 3) return points;
  std::vector<Point> hull(2 * points.size());
  std::size_t h = 0;
  for (std::size_t p = 0; p < points.size(); ++p) {
    while (h >= 2 && cross(hull[h - 2], hull[h - 1], points[p]) <= 0) --h;
    hull[h++] = points[p];
  }
  for (std::size_t p = points.size() - 1, lower = h + 1; p-- > 0;) {
    while (h >= lower && cross(hull[h - 2], hull[h - 1], points[p]) <= 0) --h;
    hull[h++] = points[p];
  }
  hull.resize(h - 1);
  return hull;
}

// Sets the row spans of slice k inside the convex polygon `hull`; returns the pixel count.
std::int64_t fill_hull(const std::vector<Point>& hull, const Geometry& geometry, std::int64_t k, Ribcage& ribcage) {
  if (hull.size() < 3) return 0;
  const auto& n = geometry.size;
  std::int64_t count = 0;
  for (std::int64_t j = 0; j < n[1]; ++j) {
    double left = 1e30, right = -1e30;
    for (std::size_t e = 0; e < hull.size(); ++e) {
      const Point& a = hull[e];
      const Point& b = hull[(e + 1) % hull.size()];
      if ((a[1] > j && b[1] > j) || (a[1] < j && b[1] < j)) continue;
      if (a[1] == b[1]) {
        left = std::min(left, double(std::min(a[0], b[0])));
        right = std::max(right, double(std::max(a[0], b[0])));
        continue;
      }
      const double x = double(a[0]) + double(b[0] - a[0]) * double(j - a[1]) / double(b[1] - a[1]);
      left = std::min(left, x);
      right = std::max(right, x);
    }
    if (left > right) continue;
    const auto first = std::max<std::int64_t>(0, std::int64_t(left + 0.5));
    const auto last = std::min<std::int64_t>(n[0] - 1, std::int64_t(right + 0.5));
    if (first > last) continue;
    const auto row = static_cast<std::size_t>(j + n[1] * k);
    ribcage.span_first[row] = static_cast<std::int32_t>(first);
    ribcage.span_last[row] = static_cast<std::int32_t>(last);
    count += last - first + 1;
  }
  return count;
}

// Empties every row span of slice k.
void clear_hull(const Geometry& geometry, std::int64_t k, Ribcage& ribcage) {
  const auto first_row = static_cast<std::size_t>(geometry.size[1] * k);
  std::fill_n(ribcage.span_first.begin() + first_row, geometry.size[1], 1);
  std::fill_n(ribcage.span_last.begin() + first_row, geometry.size[1], 0);
}

// Returns true when pixel (i, j) of a slice lies within margin_i pixels along
// its row, or margin_j pixels along its column, of padding (outside the
// reconstruction circle) or of the grid edge. Only the few bone pixels ask,
// so the rows and columns are searched instead of measured for every pixel.
bool near_padding(const std::uint8_t* slice_padding, std::int64_t nx, std::int64_t ny, std::int64_t i,
                  std::int64_t j, std::int64_t margin_i, std::int64_t margin_j) {
  if (i <= margin_i || i >= nx - 1 - margin_i || j <= margin_j || j >= ny - 1 - margin_j) return true;
  const std::uint8_t* row = slice_padding + j * nx;
  for (std::int64_t x = i - margin_i; x <= i + margin_i; ++x)
    if (row[x]) return true;
  for (std::int64_t y = j - margin_j; y <= j + margin_j; ++y)
    if (slice_padding[y * nx + i]) return true;
  return false;
}

}  // namespace

Ribcage ribcage_hull(const CanonicalCt& ct, const Mask& body, const SegmentOptions& options) {
  const Geometry& geometry = ct.geometry;
  const auto& n = geometry.size;
  Ribcage result;
  result.rows_per_slice = n[1];
  result.span_first.assign(static_cast<std::size_t>(n[1] * n[2]), 1);
  result.span_last.assign(static_cast<std::size_t>(n[1] * n[2]), 0);
  result.reliable.assign(static_cast<std::size_t>(n[2]), 0);
  const double pixel_mm2 = geometry.spacing_mm[0] * geometry.spacing_mm[1];

  const auto margin_i = static_cast<std::int64_t>(options.ribcage_padding_margin_mm / geometry.spacing_mm[0]);
  const auto margin_j = static_cast<std::int64_t>(options.ribcage_padding_margin_mm / geometry.spacing_mm[1]);
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    const std::int64_t nx = n[0], ny = n[1];
    // float(hu) > bone_min_hu exactly when hu > floor(bone_min_hu), for whole numbers.
    const auto bone_floor_hu =
        static_cast<std::int32_t>(std::clamp(std::floor(double(options.bone_min_hu)), -65536.0, 65536.0));
    for (std::int64_t k = begin; k < end; ++k) {
      // 1. The outermost bone pixels of each row span the same hull as all of
      //    them. Bone-like values at the edge of the reconstruction circle are
      //    truncation artefacts of a body wider than the scan field.
      const std::uint8_t* const slice_body = body.data() + k * nx * ny;
      const std::uint8_t* const slice_padding = ct.padding.data() + k * nx * ny;
      const std::int16_t* const slice_hu = ct.hu.data() + k * nx * ny;
      std::vector<Point> extremes;
      std::int64_t bone_pixels = 0, body_pixels = 0;
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::uint8_t* const body_row = slice_body + j * nx;
        const std::uint8_t* const padding_row = slice_padding + j * nx;
        const std::int16_t* const hu_row = slice_hu + j * nx;
        std::int64_t first = -1, last = -1;
        for (std::int64_t i = 0; i < nx; ++i) body_pixels += body_row[i] != 0;
        for (std::int64_t i = 0; i < nx; ++i) {
          const bool bone = (body_row[i] != 0) & (padding_row[i] == 0) & (hu_row[i] > bone_floor_hu);
          if (!bone || near_padding(slice_padding, nx, ny, i, j, margin_i, margin_j)) continue;
          ++bone_pixels;
          if (first < 0) first = i;
          last = i;
        }
        if (first < 0) continue;
        extremes.push_back({first, j});
        if (last != first) extremes.push_back({last, j});
      }

      // 2. The hull, kept only when it is wide enough to be the ribcage.
      if (double(bone_pixels) * pixel_mm2 < options.ribcage_min_bone_mm2) continue;
      const std::vector<Point> hull = convex_hull(std::move(extremes));
      const std::int64_t area = fill_hull(hull, geometry, k, result);
      if (double(area) >= options.ribcage_min_body_fraction * double(body_pixels)) {
        result.reliable[static_cast<std::size_t>(k)] = 1;
        continue;
      }
      clear_hull(geometry, k, result);
    }
  });
  return result;
}

}  // namespace lunglens
