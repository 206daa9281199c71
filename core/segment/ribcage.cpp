#include "segment/ribcage.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

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
// reconstruction circle) or of the grid edge. column_padding[i] counts the
// padding pixels of column i in rows j - margin_j .. j + margin_j. It is
// called for bone pixels only, so the row is searched instead of measured for every pixel.
bool near_padding(const std::uint8_t* slice_padding, const std::int32_t* column_padding, std::int64_t nx,
                  std::int64_t ny, std::int64_t i, std::int64_t j, std::int64_t margin_i, std::int64_t margin_j) {
  if (i <= margin_i || i >= nx - 1 - margin_i || j <= margin_j || j >= ny - 1 - margin_j) return true;
  if (column_padding[i] > 0) return true;
  const std::uint8_t* row = slice_padding + j * nx;
  for (std::int64_t x = i - margin_i; x <= i + margin_i; ++x)
    if (row[x]) return true;
  return false;
}

// Adds `sign` times padding row j (when it exists) to the column counts.
void add_padding_row(const std::uint8_t* slice_padding, std::int64_t nx, std::int64_t ny, std::int64_t j,
                     std::int32_t sign, std::int32_t* column_padding) {
  if (j < 0 || j >= ny) return;
  const std::uint8_t* row = slice_padding + j * nx;
  for (std::int64_t i = 0; i < nx; ++i) column_padding[i] += sign * static_cast<std::int32_t>(row[i] != 0);
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
    // Bone flags of one row, with zeros up to a whole number of 8-byte words.
    std::vector<std::uint8_t> bone_flags(static_cast<std::size_t>((nx + 7) / 8 * 8), 0);
    std::uint8_t* const bone_row = bone_flags.data();
    // Padding pixels per column within margin_j rows of the current row.
    std::vector<std::int32_t> column_counts(static_cast<std::size_t>(nx));
    std::int32_t* const column_padding = column_counts.data();
    // At most two per row. Written by index: in WebAssembly a push_back in
    // this loop went through an exception trampoline (it may throw).
    std::vector<Point> extremes(static_cast<std::size_t>(2 * ny));
    for (std::int64_t k = begin; k < end; ++k) {
      // 1. The outermost bone pixels of each row span the same hull as all of
      //    them. Bone-like values at the edge of the reconstruction circle are
      //    truncation artefacts of a body wider than the scan field.
      const std::uint8_t* const slice_body = body.data() + k * nx * ny;
      const std::uint8_t* const slice_padding = ct.padding.data() + k * nx * ny;
      const std::int16_t* const slice_hu = ct.hu.data() + k * nx * ny;
      std::size_t extreme_count = 0;
      std::int64_t bone_pixels = 0, body_pixels = 0;
      std::fill(column_counts.begin(), column_counts.end(), 0);
      for (std::int64_t y = 0; y < margin_j; ++y) add_padding_row(slice_padding, nx, ny, y, 1, column_padding);
      for (std::int64_t j = 0; j < ny; ++j) {
        // The window of rows j - margin_j .. j + margin_j moves down by one.
        add_padding_row(slice_padding, nx, ny, j + margin_j, 1, column_padding);
        add_padding_row(slice_padding, nx, ny, j - margin_j - 1, -1, column_padding);
        const std::uint8_t* const body_row = slice_body + j * nx;
        const std::uint8_t* const padding_row = slice_padding + j * nx;
        const std::int16_t* const hu_row = slice_hu + j * nx;
        // Bone flags of the whole row first, in a loop without branches that
        // the compiler vectorises, then only the 8-pixel words with bone.
        std::int32_t row_body_pixels = 0;  // 32-bit, so that WebAssembly adds four lanes at a time, not two.
        for (std::int64_t i = 0; i < nx; ++i) {
          row_body_pixels += body_row[i] != 0;
          bone_row[i] = (body_row[i] != 0) & (padding_row[i] == 0) & (hu_row[i] > bone_floor_hu);
        }
        body_pixels += row_body_pixels;
        std::int64_t first = -1, last = -1;
        for (std::int64_t word = 0; word < nx; word += 8) {
          std::uint64_t bits = 0;
          std::memcpy(&bits, bone_row + word, 8);
          if (bits == 0) continue;
          for (std::int64_t i = word; i < std::min(nx, word + 8); ++i) {
            if (!bone_row[i] || near_padding(slice_padding, column_padding, nx, ny, i, j, margin_i, margin_j)) continue;
            ++bone_pixels;
            if (first < 0) first = i;
            last = i;
          }
        }
        if (first < 0) continue;
        extremes[extreme_count++] = {first, j};
        if (last != first) extremes[extreme_count++] = {last, j};
      }

      // 2. The hull, kept only when it is wide enough to be the ribcage.
      if (double(bone_pixels) * pixel_mm2 < options.ribcage_min_bone_mm2) continue;
      const std::vector<Point> hull = convex_hull({extremes.begin(), extremes.begin() + extreme_count});
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
