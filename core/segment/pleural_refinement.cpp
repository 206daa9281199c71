#include "segment/pleural_refinement.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "image/connected_components.h"
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

// Returns the fine-grid voxels that an in-plane closing of `lung` by
// `radius_mm` adds and that have lung within enclosure_ray_mm in at least
// `min_directions` of 8 directions.
Mask enclosed_additions(const Mask& lung, const Geometry& geometry, double radius_mm, int min_directions,
                        const SegmentOptions& options) {
  BlockFactors factors = block_factors_for(geometry, kBlockMm);
  factors[2] = 1;
  const Geometry coarse_geometry = block_geometry(geometry, factors);
  const Mask coarse = downsample(lung, geometry, factors, BlockRule::majority);
  const Mask closed = close(coarse, coarse_geometry, Ellipsoid::ball(radius_mm), FilterScope::per_slice);

  Mask accepted(coarse.size(), 0);
  const auto& m = coarse_geometry.size;
  parallel_for(0, m[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k)
      for (std::int64_t j = 0; j < m[1]; ++j)
        for (std::int64_t i = 0; i < m[0]; ++i) {
          const std::int64_t v = coarse_geometry.linear_index(i, j, k);
          if (!closed[v] || coarse[v]) continue;
          accepted[v] =
              enclosing_directions(coarse, coarse_geometry, i, j, k, options.enclosure_ray_mm) >= min_directions;
        }
  });
  return upsample(accepted, geometry, factors);
}

// Adds to `lung` the voxels of each craniocaudal column (fixed i, j) that lie
// in a gap of at most `max_gap_mm` between two lung voxels and where
// accepted(i, j, k) is true. A lesion on the costal pleura bites into the
// lung over a few centimetres of height only, so above and below it the
// lung reaches the chest wall again. The scan runs slice by slice over rows
// of columns, so it reads memory in order. A gap is filled only after the scan has passed it,
// so the added voxels never start or end another gap.
template <class Accepted>
void bridge_columns(Mask& lung, const Accepted& accepted, const Geometry& geometry, double max_gap_mm) {
  const auto& n = geometry.size;
  const auto max_gap = static_cast<std::int64_t>(max_gap_mm / geometry.spacing_mm[2]);
  const std::int64_t slice_voxels = n[0] * n[1];
  parallel_for(0, n[1], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int64_t> last_lung(n[0]);
    // Local copies, so that the stores force no reloads (see map_voxels).
    std::int64_t* const last = last_lung.data();
    std::uint8_t* const voxels = lung.data();
    const std::int64_t nx = n[0], nz = n[2], gap = max_gap, slice = slice_voxels;
    for (std::int64_t j = begin; j < end; ++j) {
      std::fill(last, last + nx, -1);
      for (std::int64_t k = 0; k < nz; ++k) {
        const std::uint8_t* const row = voxels + j * nx + k * slice;
        for (std::int64_t i = 0; i < nx; ++i) {
          if (!row[i]) continue;
          if (last[i] >= 0 && k - last[i] - 1 <= gap)
            for (std::int64_t g = last[i] + 1; g < k; ++g)
              if (accepted(i, j, g)) voxels[i + j * nx + g * slice] = 1;
          last[i] = k;
        }
      }
    }
  });
}

// Removes from `lung` the voxels added to the lung air `air` that belong to
// the mediastinum or the abdomen. The aorta or a hilar vessel bulging into
// the lung for a few slices, or a dome of the diaphragm (liver or spleen),
// is enclosed by lung in some slices but continues into tissue outside the
// lung in the next slice. So, slice by slice upwards and then downwards, an
// in-plane component of added voxels is removed when at least
// bulge_min_area_mm2 of it and more than half of it lie on tissue outside the
// lung, or on a removed component, in the previous slice. Intrapulmonary
// vessels are narrower, and lesions enclosed by lung or on the costal pleura
// lie on lung or on their own added part.
void remove_bulges(const Mask& air, Mask& lung, const Geometry& geometry, const SegmentOptions& options) {
  Mask added(lung.size());
  map_voxels(added, [](std::uint8_t l, std::uint8_t a) { return l && !a; }, lung, air);
  const RunComponents components = label_runs(added, geometry, Connectivity::face, FilterScope::per_slice);

  const auto& n = geometry.size;
  const std::int64_t slice_voxels = n[0] * n[1];
  const double pixel_mm2 = geometry.spacing_mm[0] * geometry.spacing_mm[1];
  std::vector<std::uint8_t> removed(components.count() + 1, 0);
  std::vector<std::int64_t> on_tissue(components.count() + 1, 0);

  // Component ids of one slice, written from its runs (0 outside them).
  std::vector<std::int32_t> previous_ids(static_cast<std::size_t>(slice_voxels));
  auto write_ids = [&](std::int64_t k) {
    std::fill(previous_ids.begin(), previous_ids.end(), 0);
    components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
      std::fill(previous_ids.begin() + j * n[0] + run.begin, previous_ids.begin() + j * n[0] + run.end, c);
    });
  };

  auto sweep = [&](std::int64_t first_slice, std::int64_t step) {
    std::fill(on_tissue.begin(), on_tissue.end(), 0);
    for (std::int64_t k = first_slice + step; k >= 0 && k < n[2]; k += step) {
      write_ids(k - step);
      const std::int64_t previous_slice = (k - step) * slice_voxels;
      components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
        for (std::int64_t p = j * n[0] + run.begin; p < j * n[0] + run.end; ++p)
          if (!lung[previous_slice + p] || removed[previous_ids[p]]) ++on_tissue[c];
      });
      for (const Run& run : components.slices[k].runs) {
        const std::int32_t c = components.id(k, run);
        if (removed[c]) continue;
        removed[c] = double(on_tissue[c]) * pixel_mm2 >= options.bulge_min_area_mm2 &&
                     2 * on_tissue[c] > components.sizes[c];
      }
    }
  };
  sweep(0, 1);
  sweep(n[2] - 1, -1);

  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    for (std::int64_t k = k_begin; k < k_end; ++k)
      components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
        if (!removed[c]) return;
        const std::int64_t row = geometry.linear_index(0, j, k);
        std::fill(lung.begin() + row + run.begin, lung.begin() + row + run.end, 0);
      });
  });
}

// Rules for the voxels of a lung's box that may join that lung, with box
// indices. allowed: inside the body, not airway and not the other lung.
// dense: also at most pleural_max_hu. costal: also inside the chest wall
// zone. The rules read the inputs directly, because they are evaluated only
// for the few voxels that a closing, a bridge or a hole adds.
class JoinRule {
 public:
  JoinRule(const std::vector<std::uint8_t>& labels, const CanonicalCt& ct, const Mask& body,
           const ChestWallZone& chest_wall, const Mask& airway, const IndexBox& box, std::uint8_t value,
           const SegmentOptions& options)
      : labels_(labels), ct_(ct), body_(body), chest_wall_(chest_wall), airway_(airway), box_(box), value_(value),
        pleural_max_hu_(options.pleural_max_hu) {}

  bool allowed(std::int64_t i, std::int64_t j, std::int64_t k) const { return allowed_at(index(i, j, k)); }

  bool dense(std::int64_t i, std::int64_t j, std::int64_t k) const {
    const std::int64_t v = index(i, j, k);
    return allowed_at(v) && ct_.hu[v] <= pleural_max_hu_;
  }

  bool costal(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return dense(i, j, k) && chest_wall_.block_row(box_.begin[1] + j, box_.begin[2] + k)[chest_wall_.block_column(
                                 box_.begin[0] + i)] != 0;
  }

 private:
  std::int64_t index(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return ct_.geometry.linear_index(box_.begin[0] + i, box_.begin[1] + j, box_.begin[2] + k);
  }

  bool allowed_at(std::int64_t v) const {
    const std::uint8_t label = labels_[v];
    return body_[v] && !airway_[v] && (label == 0 || label == value_);
  }

  const std::vector<std::uint8_t>& labels_;
  const CanonicalCt& ct_;
  const Mask& body_;
  const ChestWallZone& chest_wall_;
  const Mask& airway_;
  IndexBox box_;
  std::uint8_t value_;
  double pleural_max_hu_;
};

// Sets part[t] for the voxels t of the box grid `grid` where candidates[t] is
// set and is_allowed(i, j, k) is true.
template <class IsAllowed>
void add_allowed(Mask& part, const Mask& candidates, const Geometry& grid, const IsAllowed& is_allowed) {
  const auto& n = grid.size;
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    const std::int64_t nx = n[0], ny = n[1];
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::uint8_t* const candidate_row = candidates.data() + (k * ny + j) * nx;
        std::uint8_t* const part_row = part.data() + (k * ny + j) * nx;
        for_each_labelled(candidate_row, nullptr, nx, [&](std::int64_t i) {
          if (candidate_row[i] && !part_row[i] && is_allowed(i, j, k)) part_row[i] = 1;
        });
      }
  });
}

}  // namespace

void refine_to_pleura(std::vector<std::uint8_t>& labels, const CanonicalCt& ct, const Mask& body,
                      const ChestWallZone& chest_wall, const Mask& airway, const SegmentOptions& options) {
  const Geometry& geometry = ct.geometry;
  for (const LungLabel side : {LungLabel::right_lung, LungLabel::left_lung}) {
    const auto value = static_cast<std::uint8_t>(side);
    const IndexBox box = expand_box(bounding_box_of_value(labels, geometry, value), geometry,
                                    options.pleural_closing_radius_mm);
    if (box.empty()) continue;
    const Geometry box_geometry = crop_geometry(geometry, box);

    // This lung's air in the box; `rule` decides where voxels may join it.
    const JoinRule rule(labels, ct, body, chest_wall, airway, box, value, options);
    const std::int64_t width = box.end[0] - box.begin[0];
    const std::int64_t height = box.end[1] - box.begin[1];
    Mask air_part(static_cast<std::size_t>(box.voxel_count()));
    parallel_for(box.begin[2], box.end[2], [&](std::int64_t k_begin, std::int64_t k_end) {
      const std::uint8_t lung_value = value;  // A local copy, so that the byte stores force no reloads.
      for (std::int64_t k = k_begin; k < k_end; ++k)
        for (std::int64_t j = box.begin[1]; j < box.end[1]; ++j) {
          const std::uint8_t* source = labels.data() + geometry.linear_index(box.begin[0], j, k);
          std::uint8_t* target = air_part.data() + ((k - box.begin[2]) * height + (j - box.begin[1])) * width;
          for (std::int64_t i = 0; i < width; ++i) target[i] = source[i] == lung_value;
        }
    });

    Mask part = air_part;
    const Mask additions = enclosed_additions(part, box_geometry, options.pleural_closing_radius_mm,
                                              options.min_enclosing_directions, options);
    add_allowed(part, additions, box_geometry,
                [&](std::int64_t i, std::int64_t j, std::int64_t k) { return rule.dense(i, j, k); });

    // Dense lesions on the costal pleura: lung above and below in the same column.
    bridge_columns(part, [&](std::int64_t i, std::int64_t j, std::int64_t k) { return rule.costal(i, j, k); },
                   box_geometry, options.costal_gap_mm);

    // Enclosed holes join whatever their density (vessels with contrast, calcified nodules).
    const Mask filled = fill_holes(part, box_geometry, FilterScope::per_slice);
    add_allowed(part, filled, box_geometry,
                [&](std::int64_t i, std::int64_t j, std::int64_t k) { return rule.allowed(i, j, k); });
    remove_bulges(air_part, part, box_geometry, options);

    // Write back: voxels of this lung, without touching the other lung.
    parallel_for(box.begin[2], box.end[2], [&](std::int64_t k_begin, std::int64_t k_end) {
      const std::uint8_t lung_value = value;
      const std::int64_t row_width = width;
      for (std::int64_t k = k_begin; k < k_end; ++k)
        for (std::int64_t j = box.begin[1]; j < box.end[1]; ++j) {
          std::uint8_t* const target = labels.data() + geometry.linear_index(box.begin[0], j, k);
          const std::uint8_t* const source = part.data() + ((k - box.begin[2]) * height + (j - box.begin[1])) * width;
          for (std::int64_t i = 0; i < row_width; ++i)
            target[i] = source[i] ? lung_value : (target[i] == lung_value ? std::uint8_t{0} : target[i]);
        }
    });
  }
}

}  // namespace lunglens
