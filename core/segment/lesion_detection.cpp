#include "segment/lesion_detection.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "image/connected_components.h"
#include "image/morphology.h"
#include "image/resample.h"
#include "parallel/parallel_for.h"
#include "segment/lung_labels.h"

namespace lunglens {
namespace {

// Aerated-lung histogram range for the dependent-density baseline.
constexpr int kHistogramLowHu = -1024;
constexpr int kAeratedMaxHu = -500;
constexpr int kHistogramBins = kAeratedMaxHu - kHistogramLowHu;
constexpr double kBaselinePercentile = 0.25;
constexpr std::int64_t kMinBandVoxels = 200;

constexpr double kCoreBlockMm = 2.0;

// Slices per parallel_for chunk for the passes that keep per-chunk tallies.
constexpr std::int64_t kTallySlices = 8;

// Returns the GGO threshold per (lung 0/1, band along j).
std::vector<float> ggo_thresholds(const std::vector<std::uint8_t>& lungs, const CanonicalCt& ct,
                                  std::int64_t band_count, std::int64_t band_rows, const SegmentOptions& options) {
  const auto& n = ct.geometry.size;
  std::vector<std::int64_t> histogram(2 * band_count * kHistogramBins, 0);
  std::mutex merge;
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    std::vector<std::int64_t> part(histogram.size(), 0);
    // Local copies, so that the count stores force no reloads of the sizes.
    std::int64_t* const counts = part.data();
    const std::int64_t nx = n[0], ny = n[1], bands = band_count, rows_per_band = band_rows;
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::int64_t band = j / rows_per_band;
        const std::uint8_t* const labels = lungs.data() + (k * ny + j) * nx;
        const std::int16_t* const row_hu = ct.hu.data() + (k * ny + j) * nx;
        for_each_labelled(labels, nullptr, nx, [=](std::int64_t i) {
          const std::uint8_t lung = labels[i];
          if (lung != 1 && lung != 2) return;
          const int hu = row_hu[i];
          if (hu < kHistogramLowHu || hu >= kAeratedMaxHu) return;
          ++counts[((lung - 1) * bands + band) * kHistogramBins + (hu - kHistogramLowHu)];
        });
      }
    const std::lock_guard<std::mutex> lock(merge);
    for (std::size_t b = 0; b < histogram.size(); ++b) histogram[b] += part[b];
  }, kTallySlices);

  std::vector<float> thresholds(2 * band_count, options.ggo_min_hu);
  for (std::int64_t b = 0; b < 2 * band_count; ++b) {
    const std::int64_t* bins = histogram.data() + b * kHistogramBins;
    std::int64_t total = 0;
    for (int h = 0; h < kHistogramBins; ++h) total += bins[h];
    if (total < kMinBandVoxels) continue;

    std::int64_t seen = 0;
    int h = 0;
    for (; h < kHistogramBins; ++h) {
      seen += bins[h];
      if (double(seen) >= kBaselinePercentile * double(total)) break;
    }
    const float baseline = static_cast<float>(kHistogramLowHu + h);
    thresholds[b] = std::clamp(baseline + options.dependent_margin_hu, options.ggo_min_hu, options.ggo_min_hu_limit);
  }
  return thresholds;
}

// Removes GGO components that are mostly partial volume of tissue above or
// below the lung. Where the diaphragm dome, the apex or a structure lying
// almost in the slice plane cuts a voxel, the voxel reads between lung and
// tissue, like GGO. A voxel counts as capped when tissue outside the lung lies
// within partial_volume_depth_mm (at least the adjacent slice) along k.
Mask remove_partial_volume_caps(const Mask& ground_glass, const std::vector<std::uint8_t>& lungs, const CanonicalCt& ct,
                                const SegmentOptions& options) {
  const Geometry& geometry = ct.geometry;
  const auto& n = geometry.size;
  const auto reach = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::floor(options.partial_volume_depth_mm / geometry.spacing_mm[2])));
  const std::int64_t slice = n[0] * n[1];

  const RunComponents components = label_runs(ground_glass, geometry, Connectivity::face);
  std::vector<std::int64_t> capped(components.sizes.size(), 0);
  std::mutex merge;
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    std::vector<std::int64_t> part(capped.size(), 0);
    for (std::int64_t k = k_begin; k < k_end; ++k)
      components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t id) {
        for (std::int64_t i = run.begin; i < run.end; ++i) {
          const std::int64_t v = geometry.linear_index(i, j, k);
          bool tissue_near = false;
          for (std::int64_t d = -reach; d <= reach && !tissue_near; ++d) {
            const std::int64_t kk = k + d;
            if (d == 0 || kk < 0 || kk >= n[2]) continue;
            const std::int64_t w = v + d * slice;
            tissue_near = lungs[w] == 0 && ct.valid(w) && ct.hu[w] >= options.consolidation_min_hu;
          }
          if (tissue_near) ++part[id];
        }
      });
    const std::lock_guard<std::mutex> lock(merge);
    for (std::size_t c = 0; c < capped.size(); ++c) capped[c] += part[c];
  }, kTallySlices);

  Mask without_caps(ground_glass.size(), 0);
  components.write(geometry, without_caps, [&](std::int32_t id) -> std::uint8_t {
    return double(capped[id]) <= options.partial_volume_max_fraction * double(components.sizes[id]);
  });
  return without_caps;
}

// Adds the partial-volume edge of consolidation along k. A voxel cut by the
// top or bottom surface of a consolidation reads between the lesion and the
// lung beyond it. The HU threshold alone keeps it only when the lesion fills
// about two thirds of it, so thick slices lose more of the lesion than thin
// ones. A lung voxel next to consolidation along k therefore joins it when
// its HU is at least the midpoint of its two neighbours along k (the lesion
// fills at least half of it), so the volume does not depend on the slice
// thickness.
void add_consolidation_edges_along_k(std::vector<std::uint8_t>& lesions, const std::vector<std::uint8_t>& lungs,
                                     const CanonicalCt& ct, const SegmentOptions& options) {
  const auto& n = ct.geometry.size;
  const std::int64_t slice = n[0] * n[1];
  const auto consolidation = static_cast<std::uint8_t>(LesionLabel::consolidation);
  // Every voxel is decided on the unchanged lesion mask, and the additions are applied afterwards.
  std::vector<std::int64_t> added;
  std::mutex merge;
  parallel_for(1, std::max<std::int64_t>(1, n[2] - 1), [&](std::int64_t k_begin, std::int64_t k_end) {
    std::vector<std::int64_t> part;
    const std::uint8_t* const lesion_voxels = lesions.data();
    const std::uint8_t* const lung_voxels = lungs.data();
    const std::uint8_t* const padding = ct.padding.data();
    const std::int16_t* const hu = ct.hu.data();
    const float consolidation_max_hu = options.consolidation_max_hu;
    for (std::int64_t row = k_begin * slice; row < k_end * slice; row += n[0]) {
      // Only voxels with a lesion above or below can join, so 8-voxel blocks
      // without one in either neighbouring row are skipped.
      for_each_labelled(lesion_voxels + row + slice, lesion_voxels + row - slice, n[0], [&](std::int64_t i) {
        const std::int64_t v = row + i;
        if (lesion_voxels[v] == consolidation || (lung_voxels[v] != 1 && lung_voxels[v] != 2) || padding[v]) return;
        for (const std::int64_t step : {slice, -slice}) {
          const std::int64_t inside = v + step, outside = v - step;
          if (lesion_voxels[inside] != consolidation || lesion_voxels[outside] == consolidation || padding[outside])
            continue;
          const float midpoint = 0.5f * (float(hu[inside]) + float(hu[outside]));
          if (hu[v] >= midpoint && hu[v] <= consolidation_max_hu) {
            part.push_back(v);
            break;
          }
        }
      });
    }
    const std::lock_guard<std::mutex> lock(merge);
    added.insert(added.end(), part.begin(), part.end());
  });
  for (const std::int64_t v : added) lesions[v] = consolidation;
}

}  // namespace

std::vector<std::uint8_t> detect_lesions(const std::vector<std::uint8_t>& lungs, const CanonicalCt& ct,
                                         const SegmentOptions& options) {
  const Geometry& geometry = ct.geometry;
  const auto& n = geometry.size;
  const auto band_rows = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::lround(options.dependent_band_mm / geometry.spacing_mm[1])));
  const std::int64_t band_count = (n[1] + band_rows - 1) / band_rows;
  const std::vector<float> thresholds = ggo_thresholds(lungs, ct, band_count, band_rows, options);

  // 1. Lung voxels in the GGO and in the consolidation range.
  Mask ground_glass(lungs.size(), 0);
  Mask consolidation(lungs.size(), 0);
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    // Local copies, so that the byte stores force no reloads (see map_voxels).
    const std::int64_t nx = n[0], ny = n[1], bands = band_count, rows_per_band = band_rows;
    const float consolidation_min_hu = options.consolidation_min_hu;
    const float consolidation_max_hu = options.consolidation_max_hu;
    const float* const ggo_min_hu = thresholds.data();
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = 0; j < ny; ++j) {
        const std::int64_t band = j / rows_per_band;
        const std::int64_t row = (k * ny + j) * nx;
        const std::uint8_t* const labels = lungs.data() + row;
        const std::int16_t* const row_hu = ct.hu.data() + row;
        std::uint8_t* const ggo_row = ground_glass.data() + row;
        std::uint8_t* const consolidation_row = consolidation.data() + row;
        for_each_labelled(labels, nullptr, nx, [=](std::int64_t i) {
          const std::uint8_t lung = labels[i];
          if (lung != 1 && lung != 2) return;
          const float hu = row_hu[i];
          ggo_row[i] = hu >= ggo_min_hu[(lung - 1) * bands + band] && hu < consolidation_min_hu;
          consolidation_row[i] = hu >= consolidation_min_hu && hu <= consolidation_max_hu;
        });
      }
  });

  // 2. GGO: the in-plane opening drops the partial-volume rims of vessels and
  // airway walls and the rim of the pleura.
  ground_glass = open(ground_glass, geometry, Ellipsoid::ball(options.vessel_radius_mm), FilterScope::per_slice);
  ground_glass = remove_partial_volume_caps(ground_glass, lungs, ct, options);

  // 3. Consolidation: vessels have the same density, so only regions wider
  // than the largest intrapulmonary vessels in all three directions count.
  // Cores survive a 3D opening with a ball of consolidation_core_radius_mm
  // (on about 2 mm blocks): a vessel crossing the slice is a wide disc in
  // plane, and vessels converging at a hilum form wide in-plane blobs, but
  // neither contains such a ball. On thick slices the ball spans fewer
  // slices, never less than one. The consolidation within
  // consolidation_margin_mm of a core keeps its own edge.
  const BlockFactors factors = block_factors_for(geometry, kCoreBlockMm);
  const Geometry coarse_geometry = block_geometry(geometry, factors);
  Mask core = downsample(consolidation, geometry, factors, BlockRule::majority);
  core = open(core, coarse_geometry, Ellipsoid::ball(options.consolidation_core_radius_mm));
  if (count_nonzero(core) > 0) {
    // The margin reaches at least the adjacent slices, which thick slices would otherwise never reach.
    const double margin_mm = options.consolidation_margin_mm + kCoreBlockMm;
    core = dilate(core, coarse_geometry, {{margin_mm, margin_mm, std::max(margin_mm, coarse_geometry.spacing_mm[2])}});
    clear_outside_blocks(consolidation, geometry, core, factors);
  } else {
    std::fill(consolidation.begin(), consolidation.end(), 0);
  }

  // 4. Drop small specks.
  Mask dense(lungs.size());
  map_voxels(dense, [](std::uint8_t g, std::uint8_t c) { return g || c; }, ground_glass, consolidation);
  const double voxel_ml = geometry.voxel_volume_mm3() / 1000.0;
  const auto min_voxels = std::max<std::int64_t>(1, std::llround(options.min_lesion_ml / voxel_ml));
  dense = remove_small_components(dense, geometry, min_voxels, Connectivity::face);

  // 5. Classify by density. The filters only removed voxels, so every voxel
  // left is a lung voxel within the lesion range.
  std::vector<std::uint8_t> lesions(lungs.size(), 0);
  const auto consolidation_min_hu = options.consolidation_min_hu;
  map_voxels(lesions, [consolidation_min_hu](std::uint8_t is_dense, std::int16_t hu) {
    if (!is_dense) return std::uint8_t{0};
    return static_cast<std::uint8_t>(float(hu) >= consolidation_min_hu ? LesionLabel::consolidation
                                                                       : LesionLabel::ground_glass);
  }, dense, ct.hu);

  // 6. Partial-volume edge of consolidation on the slices above and below.
  add_consolidation_edges_along_k(lesions, lungs, ct, options);
  return lesions;
}

}  // namespace lunglens
