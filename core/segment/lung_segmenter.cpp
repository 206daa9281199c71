#include "segment/lung_segmenter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "image/connected_components.h"
#include "parallel/parallel_for.h"
#include "segment/airway.h"
#include "segment/body_mask.h"
#include "segment/canonical_ct.h"
#include "segment/hu_check.h"
#include "segment/lesion_detection.h"
#include "segment/lung_candidates.h"
#include "segment/lung_split.h"
#include "segment/pleural_refinement.h"
#include "segment/slice_gaps.h"

namespace lunglens {
namespace {

// The segmentation works on axial slices. A volume thinner than this from
// right to left or from anterior to posterior is a coronal or sagittal image
// (or a stack of a few), not a chest in axial slices.
constexpr double kMinAxialExtentMm = 50.0;

// Returns why `ct` cannot be segmented as axial slices, or an empty string.
std::string check_axial_extent(const CanonicalCt& ct) {
  const auto extent_mm = [&](int axis) { return double(ct.geometry.size[axis]) * ct.geometry.spacing_mm[axis]; };
  for (const auto& [axis, kind, direction] : {std::tuple{1, "coronal", "anterior to posterior"},
                                              std::tuple{0, "sagittal", "right to left"}}) {
    if (extent_mm(axis) >= kMinAxialExtentMm) continue;
    char extent[32];
    std::snprintf(extent, sizeof extent, "%.1f", extent_mm(axis));
    return std::string("the images are ") + kind + " (the volume spans " + extent + " mm from " + direction +
           "); the lung analysis needs axial slices: choose the axial series";
  }
  return {};
}

// Margin around the lung candidates kept for the later steps: room for the
// pleural closing and the body outline beside the lungs.
constexpr double kWorkMarginMm = 20.0;

std::string check_buffers(const HuVolume& volume) {
  const auto& size = volume.geometry.size;
  if (size[0] <= 0 || size[1] <= 0 || size[2] <= 0) return "the volume is empty";
  for (int a = 0; a < 3; ++a)
    if (!(volume.geometry.spacing_mm[a] > 0.0))
      return "voxel spacing must be positive, axis " + std::to_string(a) + " has " +
             std::to_string(volume.geometry.spacing_mm[a]) + " mm";
  const auto count = static_cast<std::size_t>(volume.voxel_count());
  const std::size_t stored =
      volume.voxel_type == VoxelType::int16 ? volume.int16_hu.size() : volume.float32_hu.size();
  if (stored != count)
    return "the volume has " + std::to_string(stored) + " voxels but its geometry needs " + std::to_string(count);
  if (!volume.padding_mask.empty() && volume.padding_mask.size() != count)
    return "the padding mask has " + std::to_string(volume.padding_mask.size()) + " voxels but the volume has " +
           std::to_string(count);
  return {};
}

void add_error(LungSegmentation& result, DiagnosticCode code, std::string message) {
  result.diagnostics.push_back({code, Severity::error, "", std::move(message)});
}

// Marks with kDenseLung the dense lung voxels of `air` (air 1, other 0):
// inside the body, at least lung_air_max_hu and below dense_lung_max_hu, with
// no voxel outside the body or at dense_lung_max_hu or above within
// dense_lung_clearance_mm in the same slice. Only the few voxels of that HU
// band look at their neighbourhood, which reads HU and the body only, so the
// marks can be written in place.
constexpr std::uint8_t kDenseLung = 2;

void add_dense_lung(Mask& air, const Mask& body, const CanonicalCt& ct, const SegmentOptions& options) {
  const Geometry& geometry = ct.geometry;
  const auto& n = geometry.size;
  const double radius_mm = options.dense_lung_clearance_mm;
  const auto reach_i = static_cast<std::int64_t>(std::floor(radius_mm / geometry.spacing_mm[0]));
  const auto reach_j = static_cast<std::int64_t>(std::floor(radius_mm / geometry.spacing_mm[1]));
  std::vector<std::pair<std::int64_t, std::int64_t>> disc;  // In-plane offsets (di, dj) within the radius.
  for (std::int64_t dj = -reach_j; dj <= reach_j; ++dj)
    for (std::int64_t di = -reach_i; di <= reach_i; ++di) {
      const double x = double(di) * geometry.spacing_mm[0], y = double(dj) * geometry.spacing_mm[1];
      if (x * x + y * y <= radius_mm * radius_mm) disc.emplace_back(di, dj);
    }

  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    // Local copies, so that the byte stores force no reloads (see map_voxels).
    std::uint8_t* const air_voxels = air.data();
    const std::uint8_t* const body_voxels = body.data();
    const std::uint8_t* const padding = ct.padding.data();
    const std::int16_t* const hu = ct.hu.data();
    // float(hu) < dense_lung_max_hu exactly when hu < ceil(dense_lung_max_hu), for whole numbers.
    const auto below_hu =
        static_cast<std::int32_t>(std::clamp(std::ceil(double(options.dense_lung_max_hu)), -65536.0, 65536.0));
    const std::int64_t nx = n[0], ny = n[1];
    std::vector<std::uint8_t> row_candidates(static_cast<std::size_t>(nx));
    std::uint8_t* const candidates = row_candidates.data();
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = 0; j < ny; ++j) {
        // The row's candidates come first, from a loop without branches. Only
        // those few then look at their neighbourhood.
        const std::int64_t row = (k * ny + j) * nx;
        for (std::int64_t i = 0; i < nx; ++i)
          candidates[i] = std::uint8_t(air_voxels[row + i] == 0) & std::uint8_t(body_voxels[row + i] != 0) &
                          std::uint8_t(padding[row + i] == 0) & std::uint8_t(hu[row + i] < below_hu);
        for_each_labelled(candidates, nullptr, nx, [&](std::int64_t i) {
          if (!candidates[i]) return;
          const std::int64_t v = row + i;
          bool clear = true;
          for (const auto& [di, dj] : disc) {
            const std::int64_t ii = i + di, jj = j + dj;
            if (ii < 0 || jj < 0 || ii >= nx || jj >= ny) {
              clear = false;
              break;
            }
            const std::int64_t w = (k * ny + jj) * nx + ii;
            if (!body_voxels[w] || padding[w] || hu[w] >= below_hu) {
              clear = false;
              break;
            }
          }
          if (clear) air_voxels[v] = kDenseLung;
        });
      }
  });
}

// Reports the end of `step`; false (after adding the diagnostic) cancels.
bool step_done(const SegmentProgress& progress, int step, LungSegmentation& result) {
  if (!progress || progress(step, kSegmentSteps)) return true;
  add_error(result, DiagnosticCode::cancelled, "segmentation cancelled after step " + std::to_string(step) + " of " +
                                                   std::to_string(kSegmentSteps));
  return false;
}

// Returns the box `inner` (indices in a sub-grid that starts at `outer`) in
// the indices of the grid that contains `outer`.
IndexBox nested_box(const IndexBox& outer, const IndexBox& inner) {
  IndexBox box;
  for (int a = 0; a < 3; ++a) {
    box.begin[a] = outer.begin[a] + inner.begin[a];
    box.end[a] = outer.begin[a] + inner.end[a];
  }
  return box;
}

// The steps after the body outline work inside a box around the lungs; these
// are their inputs, cropped to that box.
struct LungBox {
  IndexBox box;      // In the indices of the body box.
  CanonicalCt ct;
  Mask body;
  ChestWallZone chest_wall;
  Mask air;          // Below lung_air_max_hu, inside the body.
  Mask lungs;        // The lung candidates.
};

// Steps 2 and 3 on the body box: the air inside the body, dense lung and the
// lung candidates; returns false after adding a diagnostic. `full` and
// `full_body` are freed as soon as their part is cut out, so that the crops
// reuse their memory.
bool find_lung_box(CanonicalCt& full, Mask& full_body, const ChestWallZone& full_chest_wall,
                   const SegmentOptions& options, const SegmentProgress& progress, LungSegmentation& result,
                   LungBox& out) {
  // 2. The air inside the body (1), and dense lung (kDenseLung): voxels of
  // lung_air_max_hu..dense_lung_max_hu farther than dense_lung_clearance_mm
  // from denser tissue (diffuse GGO), which join the air they touch. The
  // partial-volume rims of the lung surface, vessels and airway walls lie
  // next to denser tissue, so they stay out.
  Mask full_air(full.hu.size());
  parallel_for(0, static_cast<std::int64_t>(full_air.size()), [&](std::int64_t begin, std::int64_t end) {
    // Local copies, so that the byte stores force no reloads (see map_voxels).
    std::uint8_t* const air = full_air.data();
    const std::uint8_t* const body = full_body.data();
    const std::uint8_t* const padding = full.padding.data();
    const std::int16_t* const hu = full.hu.data();
    const float air_max_hu = options.lung_air_max_hu;
    for (std::int64_t v = begin; v < end; ++v)
      air[v] = std::uint8_t(body[v] != 0) & std::uint8_t(padding[v] == 0) & std::uint8_t(float(hu[v]) < air_max_hu);
  }, 1 << 20);
  add_dense_lung(full_air, full_body, full, options);
  if (!step_done(progress, 2, result)) return false;

  // 3. Lung candidates (air and dense lung); later steps work inside their bounding box.
  const LungCandidates candidates = select_lung_candidates(full_air, full_body, full, options);
  if (candidates.count == 0) {
    add_error(result, DiagnosticCode::no_lung_found, candidates.reason);
    return false;
  }
  const Geometry full_geometry = full.geometry;
  out.box = expand_box(candidates.box, full_geometry, kWorkMarginMm);
  out.ct = crop_ct(full, out.box);
  full = CanonicalCt{};
  out.body = crop(full_body, full_geometry, out.box);
  full_body = Mask{};
  out.chest_wall = full_chest_wall.within(out.box);
  out.air = crop(full_air, full_geometry, out.box);
  full_air = Mask{};
  for (std::uint8_t& value : out.air) value = value == 1;
  out.lungs = candidates.mask_in(out.box);
  return step_done(progress, 3, result);
}

// Segments `whole`, which is already checked to be HU. `whole` is released
// as soon as the body box is cut out of it, to keep the peak memory low.
// Returns the labels and lesions in `box` (indices of the canonical grid), or
// false after adding a diagnostic.
bool segment_canonical(CanonicalCt whole, const SegmentOptions& options, const SegmentProgress& progress,
                       LungSegmentation& result, IndexBox& box, std::vector<std::uint8_t>& labels,
                       std::vector<std::uint8_t>& lesions) {
  // 1. Body outline; everything after works inside the body's bounding box.
  IndexBox body_box;
  CanonicalCt full;
  Mask full_body;
  ChestWallZone full_chest_wall;
  {
    // The whole-grid body mask is freed before the CT is cropped, so the crop can reuse its memory.
    Mask whole_body = body_mask(whole, options);
    body_box = bounding_box(whole_body, whole.geometry);
    if (body_box.empty()) {
      add_error(result, DiagnosticCode::no_lung_found,
                "no lung found: no body (tissue above " + std::to_string(int(options.body_threshold_hu)) +
                    " HU) in the volume");
      return false;
    }
    full_chest_wall = chest_wall_zone(whole_body, whole.geometry, options).within(body_box);
    full_body = crop(whole_body, whole.geometry, body_box);
    whole_body = Mask{};
    full = crop_ct(whole, body_box);
  }
  whole = CanonicalCt{};
  if (!step_done(progress, 1, result)) return false;

  // 2-3. Air, dense lung and lung candidates, then the box around them.
  LungBox part;
  const bool found = find_lung_box(full, full_body, full_chest_wall, options, progress, result, part);
  full = CanonicalCt{};
  full_body = Mask{};
  full_chest_wall = ChestWallZone{};
  if (!found) return false;
  const CanonicalCt& ct = part.ct;
  Mask& lungs = part.lungs;

  // 4. Airways out of the lungs.
  const AirwayResult airway = find_airway(ct, lungs, part.body, part.air, options);
  part.air = Mask{};
  if (airway.found) {
    map_voxels(lungs, [](std::uint8_t lung, std::uint8_t in_airway) { return in_airway ? 0 : lung; }, lungs,
               airway.airway);
    const double voxel_ml = ct.geometry.voxel_volume_mm3() / 1000.0;
    const auto min_voxels = static_cast<std::int64_t>(0.1 * options.min_lung_volume_ml / voxel_ml);
    lungs = remove_small_components(lungs, ct.geometry, std::max<std::int64_t>(1, min_voxels));
  } else if (double(ct.geometry.size[2]) * ct.geometry.spacing_mm[2] > 100.0) {
    result.diagnostics.push_back({DiagnosticCode::airway_not_found, Severity::warning, "",
                                  "trachea not found in the upper slices; airways stay inside the lung masks"});
  }

  if (!step_done(progress, 4, result)) return false;

  // 5. Right and left.
  LungSplit split = split_lungs(lungs, part.body, ct);
  lungs = Mask{};
  if (split.lung_count == 0) {
    add_error(result, DiagnosticCode::no_lung_found,
              "no lung found: the only air region of lung size was taken as airway (trachea or main bronchi)");
    return false;
  }
  if (split.lung_count == 1)
    result.diagnostics.push_back({DiagnosticCode::single_lung, Severity::warning, "", split.note});

  if (!step_done(progress, 5, result)) return false;

  // 6. Follow the pleura, then label the airway.
  labels = std::move(split.labels);
  refine_to_pleura(labels, ct, part.body, part.chest_wall, airway.airway, options);
  map_voxels(labels, [](std::uint8_t label, std::uint8_t in_airway) {
    return in_airway && label == 0 ? static_cast<std::uint8_t>(LungLabel::airway) : label;
  }, labels, airway.airway);
  part.body = Mask{};
  part.chest_wall = ChestWallZone{};

  if (!step_done(progress, 6, result)) return false;

  // 7. Lesions.
  lesions = detect_lesions(labels, ct, options);
  box = nested_box(body_box, part.box);
  return true;
}

// Returns the start of the note on the slices of `gaps` (canonical indices,
// increasing) with their head-foot positions, for example "2 axial slices
// without data, at z = -117.5 to -115.0 mm,".
std::string describe_gaps(const std::vector<std::int64_t>& gaps, const Geometry& canonical) {
  const auto z_mm = [&](std::int64_t k) { return canonical.index_to_lps({0.0, 0.0, double(k)})[2]; };
  char text[128];
  if (gaps.size() == 1) {
    std::snprintf(text, sizeof text, "1 axial slice without data, at z = %.1f mm,", z_mm(gaps.front()));
  } else {
    const double first = z_mm(gaps.front()), last = z_mm(gaps.back());
    std::snprintf(text, sizeof text, "%zu axial slices without data, at z = %.1f to %.1f mm,", gaps.size(),
                  std::min(first, last), std::max(first, last));
  }
  return text;
}

// Returns `part` (the voxels of `box` on the canonical grid `canonical`)
// written into a zero volume on the acquisition grid; frees `part`.
std::vector<std::uint8_t> to_volume(std::vector<std::uint8_t>& part, const IndexBox& box, const Geometry& canonical,
                                    const AxisPermutation& permutation) {
  std::vector<std::uint8_t> whole(static_cast<std::size_t>(canonical.voxel_count()), 0);
  paste(part, box, whole, canonical);
  part = {};
  if (permutation.is_identity()) return whole;
  return permute_voxels(whole, canonical, inverse_permutation(permutation));
}

}  // namespace

LungSegmentation segment_lungs(const HuVolume& volume, const SegmentOptions& options,
                               const SegmentProgress& progress) {
  LungSegmentation result;
  result.geometry = volume.geometry;
  if (const std::string fault = check_buffers(volume); !fault.empty()) {
    add_error(result, DiagnosticCode::invalid_argument, "cannot segment: " + fault);
    return result;
  }

  // The working buffers are freed before the full-size outputs are
  // allocated, so the outputs reuse their memory.
  try {
    CanonicalCt ct = make_canonical_ct(volume);
    const Geometry canonical = ct.geometry;
    const AxisPermutation permutation = ct.permutation;

    // 1. Axial slices of data in HU.
    std::string fault = check_axial_extent(ct);
    if (!fault.empty()) {
      add_error(result, DiagnosticCode::not_axial, fault);
    } else if (auto hu_fault = check_hounsfield_units(ct)) {
      result.diagnostics.push_back(*hu_fault);
    } else {
      const std::vector<std::int64_t> gaps = fill_slice_gaps(ct);
      if (!gaps.empty())
        result.diagnostics.push_back({DiagnosticCode::missing_slice, Severity::info, "",
                                      describe_gaps(gaps, canonical) +
                                          " were interpolated from the slices above and below for the segmentation "
                                          "only, so that the gap does not cut the lungs; no lung or lesion is "
                                          "counted in them"});
      IndexBox box;
      std::vector<std::uint8_t> labels;
      std::vector<std::uint8_t> lesions;
      if (segment_canonical(std::move(ct), options, progress, result, box, labels, lesions) &&
          step_done(progress, 7, result)) {
        clear_slices(labels, box, gaps);
        clear_slices(lesions, box, gaps);
        result.lungs = to_volume(labels, box, canonical, permutation);
        result.lesions = to_volume(lesions, box, canonical, permutation);
        result.lungs_found = true;
      }
    }
  } catch (const std::bad_alloc&) {
    add_error(result, DiagnosticCode::too_large,
              "out of memory while segmenting " + std::to_string(volume.voxel_count()) + " voxels");
  } catch (const std::exception& error) {
    add_error(result, DiagnosticCode::internal_error, std::string("lung segmentation failed: ") + error.what());
  }

  if (!result.lungs_found) {
    try {
      result.lungs.assign(static_cast<std::size_t>(volume.voxel_count()), 0);
      result.lesions.assign(result.lungs.size(), 0);
    } catch (const std::bad_alloc&) {
      result.lungs = {};  // The too_large error is already there; the masks stay empty.
      result.lesions = {};
    }
  }
  return result;
}

}  // namespace lunglens
