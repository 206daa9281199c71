#include "image/morphology.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "image/distance_transform.h"
#include "image/mask.h"
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

// Per-slice morphology without a distance transform. For each row offset dy
// the element spans |dx| <= half_width[dy], so a pixel is hit when a row of
// the element has a target pixel within that row's half width. The element
// is the same set of offsets as the distance-transform path.
//
// Narrow elements use "levels": for each width w up to the widest, the row's
// target pixels widened by w, built from shifted copies (vectorised). Wide
// elements use each pixel's distance to the nearest target (two scans).
constexpr std::int64_t kMaxLevelWidth = 8;

Mask morph_per_slice(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, bool dilation) {
  const auto& n = geometry.size;
  const double sx = geometry.spacing_mm[0], sy = geometry.spacing_mm[1];
  const auto rows = static_cast<std::int64_t>(std::floor(element.radius_mm[1] / sy * kUnitWithTolerance));
  std::vector<std::int64_t> half_width(2 * rows + 1);
  for (std::int64_t dy = -rows; dy <= rows; ++dy) {
    const double t = double(dy) * sy / element.radius_mm[1];
    const double remaining = std::max(0.0, double(kUnitWithTolerance) - t * t);
    // A half width of the whole row reaches every pixel of it, so wider ones
    // are clamped to it (which also keeps them within 32-bit distances).
    const double width = std::floor(element.radius_mm[0] / sx * std::sqrt(remaining));
    half_width[dy + rows] = static_cast<std::int64_t>(std::min(width, double(n[0])));
  }
  const std::int64_t widest = *std::max_element(half_width.begin(), half_width.end());
  const bool by_levels = widest <= kMaxLevelWidth && widest < n[0];
  const std::int64_t levels = by_levels ? widest + 1 : 0;

  // Dilation looks for foreground within reach; erosion for background.
  // Rows without foreground are skipped: in dilation they hold no target,
  // and in erosion every pixel whose element reaches such a row (offset
  // (0, dy) is always in the element) is eroded, so they are never read.
  const std::uint8_t target = dilation ? 1 : 0;
  // Beyond every (clamped) width, so that a row without a target never hits.
  const std::int64_t far = n[0] + 1;
  const std::int64_t slice_size = n[0] * n[1];
  Mask out(mask.size());
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int32_t> reach(by_levels ? 0 : slice_size);
    std::vector<std::uint8_t> level_rows(static_cast<std::size_t>(levels * slice_size));
    std::vector<std::int64_t> foreground_rows_before(n[1] + 1);  // Rows with foreground among rows 0..j-1.
    // Local copies, so that the byte stores force no reloads (see map_voxels).
    const std::int64_t nx = n[0], ny = n[1], element_rows = rows, level_count = levels;
    const bool dilate = dilation, use_levels = level_count > 0, target_set = target != 0;
    const std::int64_t* const widths = half_width.data();
    std::int32_t* const reach_data = reach.data();
    std::uint8_t* const level_data = level_rows.data();
    std::int64_t* const rows_before = foreground_rows_before.data();
    const std::uint8_t* const mask_data = mask.data();
    std::uint8_t* const out_data = out.data();

    // Sets (first) or ORs into out_row the pixels of row `other` with a target within `width`.
    const auto add_row_hits = [=](std::uint8_t* out_row, std::int64_t other, std::int64_t width, bool first) {
      if (use_levels) {
        const std::uint8_t* const hits = level_data + (other * level_count + width) * nx;
        if (first) {
          std::copy(hits, hits + nx, out_row);
        } else {
          for (std::int64_t i = 0; i < nx; ++i) out_row[i] |= hits[i];
        }
        return;
      }
      const std::int32_t* const reach_row = reach_data + other * nx;
      const auto limit = static_cast<std::int32_t>(width);
      if (first) {
        for (std::int64_t i = 0; i < nx; ++i) out_row[i] = reach_row[i] <= limit;
      } else {
        for (std::int64_t i = 0; i < nx; ++i) out_row[i] |= reach_row[i] <= limit;
      }
    };

    for (std::int64_t k = begin; k < end; ++k) {
      const std::uint8_t* slice = mask_data + k * slice_size;
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::uint8_t* row = slice + j * nx;
        const bool has_foreground = std::any_of(row, row + nx, [](std::uint8_t value) { return value != 0; });
        rows_before[j + 1] = rows_before[j] + (has_foreground ? 1 : 0);
        if (!has_foreground) continue;

        if (use_levels) {
          std::uint8_t* const level0 = level_data + j * level_count * nx;
          for (std::int64_t i = 0; i < nx; ++i) level0[i] = (row[i] != 0) == target_set;
          for (std::int64_t w = 1; w < level_count; ++w) {
            std::uint8_t* const level = level0 + w * nx;
            const std::uint8_t* const previous = level - nx;
            std::copy(previous, previous + nx, level);
            for (std::int64_t i = w; i < nx; ++i) level[i] |= level0[i - w];
            for (std::int64_t i = 0; i + w < nx; ++i) level[i] |= level0[i + w];
          }
          continue;
        }
        std::int32_t* distance = reach_data + j * nx;
        std::int64_t last = -far;
        for (std::int64_t i = 0; i < nx; ++i) {
          if ((row[i] != 0) == target_set) last = i;
          distance[i] = static_cast<std::int32_t>(std::min(i - last, far));
        }
        last = nx + far;
        for (std::int64_t i = nx - 1; i >= 0; --i) {
          if ((row[i] != 0) == target_set) last = i;
          distance[i] = static_cast<std::int32_t>(std::min<std::int64_t>(distance[i], last - i));
        }
      }
      std::uint8_t* result = out_data + k * slice_size;
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::int64_t first_row = std::max<std::int64_t>(0, j - element_rows);
        const std::int64_t end_row = std::min(ny, j + element_rows + 1);
        const std::int64_t foreground_rows = rows_before[end_row] - rows_before[first_row];
        // Dilation: no foreground within the element's rows, so no pixel of
        // row j is hit. Erosion: a row of background within them, so every pixel is.
        if (dilate ? foreground_rows == 0 : foreground_rows < end_row - first_row) {
          std::fill(result + j * nx, result + (j + 1) * nx, 0);
          continue;
        }
        // Erosion reaches this point only when row j has foreground, dilation
        // also without. The element's rows are ORed in whole, in loops
        // without branches that the compiler vectorises.
        std::uint8_t* const out_row = result + j * nx;
        bool first = true;
        const std::int64_t dy0 = std::max(-element_rows, -j), dy1 = std::min(element_rows, ny - 1 - j);
        for (std::int64_t dy = dy0; dy <= dy1; ++dy) {
          const std::int64_t other = j + dy;
          if (rows_before[other + 1] == rows_before[other]) continue;
          add_row_hits(out_row, other, widths[dy + element_rows], first);
          first = false;
        }
        if (first) std::fill(out_row, out_row + nx, 0);
        if (!dilate)
          for (std::int64_t i = 0; i < nx; ++i) out_row[i] ^= 1;
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

// Returns the length of a run of set voxels after one more voxel: count + 1,
// capped at `cap`, when the voxel is set, else 0.
std::uint16_t next_run(std::uint16_t count, std::uint8_t voxel, std::uint16_t cap) {
  if (!voxel) return 0;
  return count < cap ? static_cast<std::uint16_t>(count + 1) : cap;
}

// Returns `mask` eroded along `axis` by a segment of `reach` voxels on either
// side: a voxel stays when the voxels within reach along that axis are all
// set. Voxels outside the grid count as set, as in the distance-transform
// erosion, which only background inside the grid erodes.
Mask erode_along(const Mask& mask, const Geometry& geometry, int axis, std::int64_t reach) {
  if (reach <= 0) return mask;

  // The grid as [outer][line][inner]: lines along `axis`, `inner` voxels
  // side by side in memory, so that every pass reads memory in order.
  const auto& n = geometry.size;
  const std::array<std::int64_t, 3> inner_of{1, n[0], n[0] * n[1]};
  const std::array<std::int64_t, 3> outer_of{n[1] * n[2], n[2], 1};
  const std::int64_t inner = inner_of[axis];
  const std::int64_t length = n[axis];
  const std::int64_t outer = outer_of[axis];
  Mask out(mask.size());

  // Runs of set voxels, counted forwards and then backwards, capped at
  // reach + 1 so that they fit in 16 bits (a reach beyond any line length
  // erodes the same).
  const auto cap = static_cast<std::uint16_t>(std::min<std::int64_t>(reach, 65534) + 1);
  const auto erode_lines = [&](std::int64_t o, std::int64_t x_begin, std::int64_t x_end,
                               std::vector<std::uint16_t>& count) {
    const std::int64_t width = x_end - x_begin;
    const std::uint8_t* source = mask.data() + o * length * inner + x_begin;
    std::uint8_t* target = out.data() + o * length * inner + x_begin;
    std::fill(count.begin(), count.end(), cap);
    for (std::int64_t t = 0; t < length; ++t) {
      const std::uint8_t* line = source + t * inner;
      std::uint8_t* result = target + t * inner;
      for (std::int64_t x = 0; x < width; ++x) {
        count[x] = next_run(count[x], line[x], cap);
        result[x] = count[x] == cap;
      }
    }
    std::fill(count.begin(), count.end(), cap);
    for (std::int64_t t = length - 1; t >= 0; --t) {
      const std::uint8_t* line = source + t * inner;
      std::uint8_t* result = target + t * inner;
      for (std::int64_t x = 0; x < width; ++x) {
        count[x] = next_run(count[x], line[x], cap);
        result[x] = result[x] & (count[x] == cap);
      }
    }
  };
  if (axis == 0) {
    // Lines are rows: one count per direction.
    parallel_for(0, outer, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t o = begin; o < end; ++o) {
        const std::uint8_t* line = mask.data() + o * length;
        std::uint8_t* result = out.data() + o * length;
        std::uint16_t count = cap;
        for (std::int64_t t = 0; t < length; ++t) {
          count = next_run(count, line[t], cap);
          result[t] = count == cap;
        }
        count = cap;
        for (std::int64_t t = length - 1; t >= 0; --t) {
          count = next_run(count, line[t], cap);
          result[t] = result[t] & (count == cap);
        }
      }
    }, 64);
  } else if (outer > 1) {
    parallel_for(0, outer, [&](std::int64_t begin, std::int64_t end) {
      std::vector<std::uint16_t> count(static_cast<std::size_t>(inner));
      for (std::int64_t o = begin; o < end; ++o) erode_lines(o, 0, inner, count);
    });
  } else {
    parallel_for(0, inner, [&](std::int64_t begin, std::int64_t end) {
      std::vector<std::uint16_t> count(static_cast<std::size_t>(end - begin));
      erode_lines(0, begin, end, count);
    }, 4096);
  }
  return out;
}

// Returns a superset of the erosion of `mask` by `element` (volume scope),
// cheap to compute: the erosion by the union of the element's three axis
// segments and of the box inscribed in it, which all lie inside the element.
// `rows` is `mask` eroded by the segment along i, which the caller has.
Mask erosion_candidates(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, const Mask& rows) {
  std::array<std::int64_t, 3> segment{}, box{};
  for (int a = 0; a < 3; ++a) {
    segment[a] = static_cast<std::int64_t>(std::floor(element.radius_mm[a] / geometry.spacing_mm[a]));
    box[a] = static_cast<std::int64_t>(std::floor(element.radius_mm[a] / std::sqrt(3.0) / geometry.spacing_mm[a]));
  }
  Mask candidates = erode_along(erode_along(erode_along(mask, geometry, 0, box[0]), geometry, 1, box[1]), geometry,
                                2, box[2]);
  map_voxels(candidates, [](std::uint8_t candidate, std::uint8_t in_rows) { return candidate && in_rows; }, candidates,
             rows);
  for (int a = 1; a < 3; ++a) {
    const Mask along = erode_along(mask, geometry, a, segment[a]);
    map_voxels(candidates, [](std::uint8_t candidate, std::uint8_t kept) { return candidate && kept; }, candidates,
               along);
  }
  return candidates;
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

  // Candidates (see erosion_candidates) are computed on the box around the
  // erosion along rows alone, the cheapest pass. The box edge counts as set
  // there, so they stay a superset of the erosion.
  const auto row_reach = static_cast<std::int64_t>(std::floor(element.radius_mm[0] / geometry.spacing_mm[0]));
  const Mask rows = erode_along(mask, geometry, 0, row_reach);
  const IndexBox row_box = bounding_box(rows, geometry);
  if (row_box.empty()) return Mask(mask.size(), 0);
  Mask candidates(mask.size(), 0);
  paste(erosion_candidates(crop(mask, geometry, row_box), crop_geometry(geometry, row_box), element,
                           crop(rows, geometry, row_box)),
        row_box, candidates, geometry);

  // The distance transform runs only on the box around the candidates, with
  // a margin of the largest radius, so that every background voxel within
  // the element of a candidate lies inside it. ANDed with the candidates, its
  // erosion is the erosion of the whole grid.
  const IndexBox box = bounding_box(candidates, geometry);
  if (box.empty()) return Mask(mask.size(), 0);
  const double reach_mm = std::max({element.radius_mm[0], element.radius_mm[1], element.radius_mm[2]});
  const IndexBox work = expand_box(box, geometry, reach_mm);
  const Geometry work_scaled = crop_geometry(scaled, work);
  const Mask part = crop(mask, geometry, work);
  Mask background(part.size());
  map_voxels(background, [](std::uint8_t p) { return p == 0; }, part);
  Mask eroded_part = threshold_within_unit(squared_distance_mm2(background, work_scaled, scope), false);

  Mask eroded(mask.size(), 0);
  paste(eroded_part, work, eroded, geometry);
  map_voxels(eroded, [](std::uint8_t e, std::uint8_t c) { return e && c; }, eroded, candidates);
  return eroded;
}

Mask close(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  return erode(dilate(mask, geometry, element, scope), geometry, element, scope);
}

Mask open(const Mask& mask, const Geometry& geometry, const Ellipsoid& element, FilterScope scope) {
  return dilate(erode(mask, geometry, element, scope), geometry, element, scope);
}

}  // namespace lunglens
