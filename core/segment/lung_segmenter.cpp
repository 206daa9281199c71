#include "segment/lung_segmenter.h"

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

// Segments `whole` (already checked to be HU); returns the canonical labels
// and lesions, or false after adding a diagnostic.
// Returns `air` plus the dense lung voxels: inside the body, at least
// lung_air_max_hu and below dense_lung_max_hu, with no voxel outside the body
// or at dense_lung_max_hu or above within dense_lung_clearance_mm in the same
// slice. Only the few voxels of that HU band look at their neighbourhood.
Mask add_dense_lung(const Mask& air, const Mask& body, const CanonicalCt& ct, const SegmentOptions& options) {
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

  Mask lung_like = air;
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = 0; j < n[1]; ++j)
        for (std::int64_t i = 0; i < n[0]; ++i) {
          const std::int64_t v = geometry.linear_index(i, j, k);
          if (air[v] || !body[v] || ct.padding[v] || ct.hu[v] >= options.dense_lung_max_hu) continue;
          bool clear = true;
          for (const auto& [di, dj] : disc) {
            const std::int64_t ii = i + di, jj = j + dj;
            if (ii < 0 || jj < 0 || ii >= n[0] || jj >= n[1]) {
              clear = false;
              break;
            }
            const std::int64_t w = geometry.linear_index(ii, jj, k);
            if (!body[w] || ct.padding[w] || ct.hu[w] >= options.dense_lung_max_hu) {
              clear = false;
              break;
            }
          }
          lung_like[v] = clear;
        }
  });
  return lung_like;
}

// Reports the end of `step`; false (after adding the diagnostic) cancels.
bool step_done(const SegmentProgress& progress, int step, LungSegmentation& result) {
  if (!progress || progress(step, kSegmentSteps)) return true;
  add_error(result, DiagnosticCode::cancelled, "segmentation cancelled after step " + std::to_string(step) + " of " +
                                                   std::to_string(kSegmentSteps));
  return false;
}

bool segment_canonical(const CanonicalCt& whole, const SegmentOptions& options, const SegmentProgress& progress,
                       LungSegmentation& result,
                       std::vector<std::uint8_t>& whole_labels, std::vector<std::uint8_t>& whole_lesions) {
  // 2a. Body outline; everything after works inside the body's bounding box.
  const Mask whole_body = body_mask(whole, options);
  const IndexBox body_box = bounding_box(whole_body, whole.geometry);
  if (body_box.empty()) {
    add_error(result, DiagnosticCode::no_lung_found,
              "no lung found: no body (tissue above " + std::to_string(int(options.body_threshold_hu)) +
                  " HU) in the volume");
    return false;
  }
  const CanonicalCt full = crop_ct(whole, body_box);
  const Mask full_body = crop(whole_body, whole.geometry, body_box);
  const Mask full_chest_wall = crop(chest_wall_zone(whole_body, whole.geometry, options), whole.geometry, body_box);

  if (!step_done(progress, 1, result)) return false;

  // 2b. The air inside the body, and dense lung: voxels of
  // lung_air_max_hu..dense_lung_max_hu farther than dense_lung_clearance_mm
  // from denser tissue (diffuse GGO), which join the air they touch. The
  // partial-volume rims of the lung surface, vessels and airway walls lie
  // next to denser tissue, so they stay out.
  Mask full_air(full.hu.size());
  for (std::size_t v = 0; v < full_air.size(); ++v)
    full_air[v] = full_body[v] && !full.padding[v] && full.hu[v] < options.lung_air_max_hu;
  const Mask full_lung_like = add_dense_lung(full_air, full_body, full, options);

  if (!step_done(progress, 2, result)) return false;

  // 3. Lung candidates; later steps work inside their bounding box.
  const LungCandidates candidates = select_lung_candidates(full_lung_like, full_body, full, options);
  if (candidates.count == 0) {
    add_error(result, DiagnosticCode::no_lung_found, candidates.reason);
    return false;
  }
  const IndexBox box = expand_box(bounding_box(candidates.lungs, full.geometry), full.geometry, kWorkMarginMm);
  const CanonicalCt ct = crop_ct(full, box);
  const Mask body = crop(full_body, full.geometry, box);
  const Mask air = crop(full_air, full.geometry, box);
  Mask lungs = crop(candidates.lungs, full.geometry, box);

  if (!step_done(progress, 3, result)) return false;

  // 4. Airways out of the lungs.
  const AirwayResult airway = find_airway(ct, lungs, body, air, options);
  if (airway.found) {
    for (std::size_t v = 0; v < lungs.size(); ++v)
      if (airway.airway[v]) lungs[v] = 0;
    const double voxel_ml = ct.geometry.voxel_volume_mm3() / 1000.0;
    const auto min_voxels = static_cast<std::int64_t>(0.1 * options.min_lung_volume_ml / voxel_ml);
    lungs = remove_small_components(lungs, ct.geometry, std::max<std::int64_t>(1, min_voxels));
  } else if (double(ct.geometry.size[2]) * ct.geometry.spacing_mm[2] > 100.0) {
    result.diagnostics.push_back({DiagnosticCode::airway_not_found, Severity::warning, "",
                                  "trachea not found in the upper slices; airways stay inside the lung masks"});
  }

  if (!step_done(progress, 4, result)) return false;

  // 5. Right and left.
  const LungSplit split = split_lungs(lungs, body, ct);
  if (split.lung_count == 0) {
    add_error(result, DiagnosticCode::no_lung_found,
              "no lung found: the only air region of lung size was taken as airway (trachea or main bronchi)");
    return false;
  }
  if (split.lung_count == 1)
    result.diagnostics.push_back({DiagnosticCode::single_lung, Severity::warning, "", split.note});

  if (!step_done(progress, 5, result)) return false;

  // 6. Follow the pleura, then label the airway.
  std::vector<std::uint8_t> labels = split.labels;
  const Mask chest_wall = crop(full_chest_wall, full.geometry, box);
  refine_to_pleura(labels, ct, body, chest_wall, airway.airway, options);
  for (std::size_t v = 0; v < labels.size(); ++v)
    if (airway.airway[v] && labels[v] == 0) labels[v] = static_cast<std::uint8_t>(LungLabel::airway);

  if (!step_done(progress, 6, result)) return false;

  // 7. Lesions.
  const std::vector<std::uint8_t> lesions = detect_lesions(labels, ct, options);

  std::vector<std::uint8_t> full_labels(full.hu.size(), 0);
  std::vector<std::uint8_t> full_lesions(full.hu.size(), 0);
  paste(labels, box, full_labels, full.geometry);
  paste(lesions, box, full_lesions, full.geometry);
  whole_labels.assign(whole.hu.size(), 0);
  whole_lesions.assign(whole.hu.size(), 0);
  paste(full_labels, body_box, whole_labels, whole.geometry);
  paste(full_lesions, body_box, whole_lesions, whole.geometry);
  return true;
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
  result.lungs.assign(static_cast<std::size_t>(volume.voxel_count()), 0);
  result.lesions.assign(result.lungs.size(), 0);

  try {
    const CanonicalCt ct = make_canonical_ct(volume);

    // 1. Axial slices of data in HU.
    if (const std::string fault = check_axial_extent(ct); !fault.empty()) {
      add_error(result, DiagnosticCode::not_axial, fault);
      return result;
    }
    if (auto fault = check_hounsfield_units(ct)) {
      result.diagnostics.push_back(*fault);
      return result;
    }

    std::vector<std::uint8_t> labels;
    std::vector<std::uint8_t> lesions;
    if (segment_canonical(ct, options, progress, result, labels, lesions) && step_done(progress, 7, result)) {
      result.lungs = to_acquisition_grid(labels, ct);
      result.lesions = to_acquisition_grid(lesions, ct);
      result.lungs_found = true;
    }
  } catch (const std::bad_alloc&) {
    add_error(result, DiagnosticCode::too_large,
              "out of memory while segmenting " + std::to_string(volume.voxel_count()) + " voxels");
  } catch (const std::exception& error) {
    add_error(result, DiagnosticCode::internal_error, std::string("lung segmentation failed: ") + error.what());
  }
  return result;
}

}  // namespace lunglens
