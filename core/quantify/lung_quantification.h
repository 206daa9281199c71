// Result of quantify(): lung and lesion volumes, density statistics and
// zone scores of one segmented CT volume.
//
// Volumes in mL are voxel count x Geometry::voxel_volume_mm3() / 1000.
// Percents are 100 x lesion voxels / lung voxels of the same region (the
// exact ratio of counts, never of rounded volumes); they are empty when the
// region has no lung voxel. Lung voxels are the voxels labelled right_lung or
// left_lung; airway voxels are not lung.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "diagnostics/diagnostic.h"
#include "quantify/density_bands.h"
#include "quantify/hu_histogram.h"
#include "quantify/lung_zones.h"

namespace lunglens {

// A part of a region, e.g. the GGO voxels of the right lung.
struct VolumeFraction {
  std::int64_t voxel_count = 0;
  double volume_ml = 0.0;
  std::optional<double> percent_of_lung;  // Empty when the region has no lung voxel.
};

// Lung and lesion volumes of a region: one zone, one lung or both lungs.
struct RegionMeasures {
  std::int64_t lung_voxel_count = 0;
  double lung_volume_ml = 0.0;
  VolumeFraction ground_glass;
  VolumeFraction consolidation;
  VolumeFraction involvement;  // Ground glass plus consolidation.
};

struct DensityBandMeasure {
  DensityBand band = DensityBand::emphysema;
  std::int64_t voxel_count = 0;
  double volume_ml = 0.0;
  std::optional<double> percent;  // Of density_voxel_count; empty when that is 0.
};

// HU statistics over the lung voxels of a region. Padding voxels
// (HuVolume::padding_mask) and non-finite float32 values carry no density,
// so they are left out here although they count in the lung volume.
struct DensityMeasures {
  std::int64_t density_voxel_count = 0;   // Lung voxels that enter the statistics.
  std::int64_t excluded_voxel_count = 0;  // Lung voxels that are padding or not finite.
  std::optional<double> mean_hu;          // Empty when density_voxel_count is 0.
  HuHistogram histogram;                  // histogram.total() == density_voxel_count.
  std::array<DensityBandMeasure, kDensityBandCount> bands{};
};

struct ZoneMeasures {
  LungSide side = LungSide::right;
  LungZone zone = LungZone::upper;
  double z_lower_mm = 0.0;  // Zone bounds along LPS z (see lung_zones.h for the rule).
  double z_upper_mm = 0.0;
  RegionMeasures region;
  // 0-5 from region.involvement (see severity_score.h); empty when the zone
  // has no lung voxel (a lung not found, or a scan that misses the zone).
  std::optional<int> score;
};

struct LungMeasures {
  LungSide side = LungSide::right;
  RegionMeasures region;
  DensityMeasures density;
  std::optional<LungZExtent> z_extent;  // Empty when the lung has no voxel.
  std::array<ZoneMeasures, kZonesPerLung> zones{};  // Upper, middle, lower.
};

struct BothLungsMeasures {
  RegionMeasures region;
  DensityMeasures density;
  int severity_score = 0;  // Sum of the zone scores, 0-30 when all 6 zones are scored.
  int scored_zones = 0;    // Zones with a score (of 6); the others have no lung voxel.
};

struct LungQuantification {
  bool ok = false;  // False when the inputs were rejected; the diagnostics give the reason.
  double voxel_volume_mm3 = 0.0;
  LungMeasures right;
  LungMeasures left;
  BothLungsMeasures both;
  std::int64_t airway_voxel_count = 0;
  double airway_volume_ml = 0.0;
  Diagnostics diagnostics;  // Findings of quantify() only, not of earlier stages.
};

}  // namespace lunglens
