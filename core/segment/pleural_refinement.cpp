#include "segment/pleural_refinement.h"

#include <array>
#include <cmath>

#include "image/hole_filling.h"
#include "image/morphology.h"
#include "image/resample.h"
#include "parallel/parallel_for.h"
#include "segment/lung_labels.h"

namespace lunglens {
namespace {

constexpr double kBlockMm = 3.0;

// Counts the in-plane directions (of 8) in which a lung block lies within
// `reach` blocks of (i, j) in slice `slice` of the block grid.
int enclosing_directions(const Mask& lung, const Geometry& grid, std::int64_t i, std::int64_t j, std::int64_t k,
                         double reach_mm) {
  static constexpr std::array<std::array<int, 2>, 8> kDirections{
      {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}}};
  int count = 0;
  for (const auto& [di, dj] : kDirections) {
    const double step_mm = std::hypot(di * grid.spacing_mm[0], dj * grid.spacing_mm[1]);
    const auto steps = static_cast<std::int64_t>(reach_mm / step_mm);
    for (std::int64_t s = 1; s <= steps; ++s) {
      const std::int64_t ii = i + di * s, jj = j + dj * s;
      if (ii < 0 || jj < 0 || ii >= grid.size[0] || jj >= grid.size[1]) break;
      if (lung[grid.linear_index(ii, jj, k)]) {
        ++count;
        break;
      }
    }
  }
  return count;
}

// Returns the fine-grid voxels the closing of `lung` may add.
Mask enclosed_additions(const Mask& lung, const Geometry& geometry, const SegmentOptions& options) {
  BlockFactors factors = block_factors_for(geometry, kBlockMm);
  factors[2] = 1;
  const Geometry coarse_geometry = block_geometry(geometry, factors);
  const Mask coarse = downsample(lung, geometry, factors, BlockRule::majority);
  const Mask closed = close(coarse, coarse_geometry, Ellipsoid::ball(options.pleural_closing_radius_mm),
                            FilterScope::per_slice);

  Mask accepted(coarse.size(), 0);
  const auto& m = coarse_geometry.size;
  parallel_for(0, m[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < m[1]; ++j)
        for (std::int64_t i = 0; i < m[0]; ++i) {
          const std::int64_t v = coarse_geometry.linear_index(i, j, k);
          if (!closed[v] || coarse[v]) continue;
          accepted[v] = enclosing_directions(coarse, coarse_geometry, i, j, k, options.enclosure_ray_mm) >=
                        options.min_enclosing_directions;
        }
  });
  return upsample(accepted, geometry, factors);
}

}  // namespace

void refine_to_pleura(std::vector<std::uint8_t>& labels, const CanonicalCt& ct, const Mask& body,
                      const Mask& airway, const SegmentOptions& options) {
  for (const LungLabel side : {LungLabel::right_lung, LungLabel::left_lung}) {
    const auto value = static_cast<std::uint8_t>(side);
    Mask lung(labels.size());
    for (std::size_t v = 0; v < labels.size(); ++v) lung[v] = labels[v] == value;

    const IndexBox box = expand_box(bounding_box(lung, ct.geometry), ct.geometry, options.pleural_closing_radius_mm);
    if (box.empty()) continue;
    const Geometry box_geometry = crop_geometry(ct.geometry, box);
    Mask part = crop(lung, ct.geometry, box);
    const Mask additions = enclosed_additions(part, box_geometry, options);

    const std::vector<std::uint8_t> label_part = crop(labels, ct.geometry, box);
    const std::vector<std::int16_t> hu_part = crop(ct.hu, ct.geometry, box);
    const Mask body_part = crop(body, ct.geometry, box);
    const Mask airway_part = crop(airway, ct.geometry, box);
    auto allowed = [&](std::size_t v) {
      return body_part[v] && !airway_part[v] && (label_part[v] == 0 || label_part[v] == value);
    };
    for (std::size_t v = 0; v < part.size(); ++v)
      if (additions[v] && allowed(v) && hu_part[v] <= options.pleural_max_hu) part[v] = 1;

    // Enclosed holes join whatever their density (vessels with contrast, calcified nodules).
    const Mask filled = fill_holes(part, box_geometry, FilterScope::per_slice);
    for (std::size_t v = 0; v < part.size(); ++v)
      if (filled[v] && allowed(v)) part[v] = 1;

    // Write back: voxels of this lung, without touching the other lung.
    std::vector<std::uint8_t> updated = label_part;
    for (std::size_t v = 0; v < part.size(); ++v) {
      if (part[v]) updated[v] = value;
      else if (updated[v] == value) updated[v] = 0;
    }
    paste(updated, box, labels, ct.geometry);
  }
}

}  // namespace lunglens
