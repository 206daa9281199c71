#include "quantify/quantify.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>

#include "image/mask.h"
#include "parallel/parallel_for.h"
#include "quantify/quantify_input_check.h"
#include "quantify/severity_score.h"

namespace lunglens {
namespace {

constexpr std::uint8_t kRightLung = static_cast<std::uint8_t>(LungLabel::right_lung);
constexpr std::uint8_t kLeftLung = static_cast<std::uint8_t>(LungLabel::left_lung);
constexpr std::uint8_t kAirway = static_cast<std::uint8_t>(LungLabel::airway);
constexpr std::uint8_t kGroundGlass = static_cast<std::uint8_t>(LesionLabel::ground_glass);
constexpr std::uint8_t kConsolidation = static_cast<std::uint8_t>(LesionLabel::consolidation);

// Returns the side index (0 right, 1 left) of a lung label, or -1.
int side_of(std::uint8_t label) {
  if (label == kRightLung) return 0;
  if (label == kLeftLung) return 1;
  return -1;
}

// z (LPS, mm) of voxel centres: z = row_z + i * dz_di within one row.
struct ZPlane {
  double origin_z = 0.0;
  double dz_di = 0.0, dz_dj = 0.0, dz_dk = 0.0;

  explicit ZPlane(const Geometry& g)
      : origin_z(g.origin_mm[2]),
        dz_di(g.spacing_mm[0] * g.axes[0][2]),
        dz_dj(g.spacing_mm[1] * g.axes[1][2]),
        dz_dk(g.spacing_mm[2] * g.axes[2][2]) {}

  double row_z(std::int64_t j, std::int64_t k) const {
    return origin_z + static_cast<double>(j) * dz_dj + static_cast<double>(k) * dz_dk;
  }
};

// First pass: label validity and the z extent of each lung.
struct ExtentTally {
  std::int64_t invalid_lung_labels = 0;
  std::uint8_t invalid_lung_example = 0;
  std::int64_t invalid_lesion_labels = 0;
  std::uint8_t invalid_lesion_example = 0;
  std::array<std::int64_t, 2> lung_voxels{0, 0};
  std::array<double, 2> z_min{std::numeric_limits<double>::infinity(),
                              std::numeric_limits<double>::infinity()};
  std::array<double, 2> z_max{-std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity()};

  void merge(const ExtentTally& other) {
    if (invalid_lung_labels == 0) invalid_lung_example = other.invalid_lung_example;
    if (invalid_lesion_labels == 0) invalid_lesion_example = other.invalid_lesion_example;
    invalid_lung_labels += other.invalid_lung_labels;
    invalid_lesion_labels += other.invalid_lesion_labels;
    for (int side = 0; side < 2; ++side) {
      lung_voxels[side] += other.lung_voxels[side];
      z_min[side] = std::min(z_min[side], other.z_min[side]);
      z_max[side] = std::max(z_max[side], other.z_max[side]);
    }
  }
};

// Second pass, one per slice so that floating-point sums are added in slice
// order whatever the thread count.
struct SideTally {
  std::array<std::array<std::int64_t, 3>, kZonesPerLung> zone_counts{};  // lung, GGO, consolidation.
  std::int64_t density_voxels = 0;
  std::int64_t excluded_voxels = 0;
  double hu_sum = 0.0;
  HuHistogram histogram;
  std::array<std::int64_t, kDensityBandCount> band_counts{};
};

struct SliceTally {
  std::array<SideTally, 2> sides;
  std::int64_t airway_voxels = 0;
  std::int64_t lesions_outside_lung = 0;

  // Returns the side (0 right, 1 left) of a voxel with these labels, or -1
  // after counting an airway voxel or a lesion outside the lungs.
  int side_or_count_outside(std::uint8_t label, std::uint8_t lesion) {
    const int side = side_of(label);
    if (side >= 0) return side;
    if (label == kAirway) ++airway_voxels;
    if (lesion != 0) ++lesions_outside_lung;
    return -1;
  }
};

// Counts a lung voxel and its lesion label in the counts of its zone.
void count_in_zone(std::array<std::int64_t, 3>& zone_counts, std::uint8_t lesion) {
  ++zone_counts[0];
  if (lesion == kGroundGlass) ++zone_counts[1];
  if (lesion == kConsolidation) ++zone_counts[2];
}

ExtentTally measure_extents(const LungSegmentation& segmentation, const ZPlane& plane) {
  const Geometry& g = segmentation.geometry;
  const bool has_lesions = !segmentation.lesions.empty();
  ExtentTally total;
  std::mutex total_mutex;

  parallel_for(0, g.size[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    ExtentTally local;
    for (std::int64_t k = k_begin; k < k_end; ++k) {
      for (std::int64_t j = 0; j < g.size[1]; ++j) {
        const double row_z = plane.row_z(j, k);
        const std::int64_t row = g.linear_index(0, j, k);
        const std::uint8_t* lesion_row = has_lesions ? segmentation.lesions.data() + row : nullptr;
        for_each_labelled(segmentation.lungs.data() + row, lesion_row, g.size[0], [&](std::int64_t i) {
          const std::uint8_t label = segmentation.lungs[row + i];
          if (label > kAirway) {
            if (local.invalid_lung_labels++ == 0) local.invalid_lung_example = label;
          }
          if (has_lesions && segmentation.lesions[row + i] > kConsolidation) {
            if (local.invalid_lesion_labels++ == 0)
              local.invalid_lesion_example = segmentation.lesions[row + i];
          }
          const int side = side_of(label);
          if (side < 0) return;
          const double z = row_z + static_cast<double>(i) * plane.dz_di;
          ++local.lung_voxels[side];
          local.z_min[side] = std::min(local.z_min[side], z);
          local.z_max[side] = std::max(local.z_max[side], z);
        });
      }
    }
    const std::lock_guard<std::mutex> lock(total_mutex);
    total.merge(local);
  });
  return total;
}

// Histogram bin and density band of every int16 value, so that the loop over
// the lung voxels of an int16 volume needs no floating-point arithmetic.
struct Int16Classes {
  std::array<std::int16_t, 65536> bin{};
  std::array<std::uint8_t, 65536> band{};
};

const Int16Classes& int16_classes() {
  static const Int16Classes classes = [] {
    Int16Classes table;
    for (int value = -32768; value <= 32767; ++value) {
      const auto slot = static_cast<std::size_t>(value + 32768);
      table.bin[slot] = static_cast<std::int16_t>(HuHistogram::bin_of(value));
      table.band[slot] = static_cast<std::uint8_t>(density_band_of(value));
    }
    return table;
  }();
  return classes;
}

// measure_slices for int16 volumes: the same tallies from the lookup tables,
// one zone per row where z does not change along rows, and HU sums added
// per row (whole numbers below 2^53, so the double sums are the same).
void measure_int16_slices(const std::int16_t* hu, const HuVolume& volume, const LungSegmentation& segmentation,
                          const ZPlane& plane, const std::array<std::optional<LungZExtent>, 2>& extents,
                          std::vector<SliceTally>& slices) {
  const Geometry& g = volume.geometry;
  const bool has_lesions = !segmentation.lesions.empty();
  const bool has_padding = !volume.padding_mask.empty();
  const Int16Classes& classes = int16_classes();

  parallel_for(0, g.size[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    const std::int64_t nx = g.size[0], ny = g.size[1];
    for (std::int64_t k = k_begin; k < k_end; ++k) {
      SliceTally& tally = slices[static_cast<std::size_t>(k)];
      for (std::int64_t j = 0; j < ny; ++j) {
        const double row_z = plane.row_z(j, k);
        std::array<int, 2> row_zone{-1, -1};  // The zone of every voxel of the row, when z is constant along it.
        if (plane.dz_di == 0.0)
          for (int side = 0; side < 2; ++side)
            if (extents[side]) row_zone[side] = static_cast<int>(extents[side]->zone_of(row_z));

        const std::int64_t row = (k * ny + j) * nx;
        const std::uint8_t* const lungs = segmentation.lungs.data() + row;
        const std::uint8_t* const lesions = has_lesions ? segmentation.lesions.data() + row : nullptr;
        const std::uint8_t* const padding = has_padding ? volume.padding_mask.data() + row : nullptr;
        const std::int16_t* const values = hu + row;
        std::array<std::int64_t, 2> row_hu_sum{0, 0};
        for_each_labelled(lungs, lesions, nx, [&](std::int64_t i) {
          const std::uint8_t lesion = lesions != nullptr ? lesions[i] : 0;
          const int side = tally.side_or_count_outside(lungs[i], lesion);
          if (side < 0) return;

          SideTally& side_tally = tally.sides[side];
          int zone = row_zone[side];
          if (zone < 0)
            zone = static_cast<int>(extents[side]->zone_of(row_z + static_cast<double>(i) * plane.dz_di));
          count_in_zone(side_tally.zone_counts[zone], lesion);

          if (padding != nullptr && padding[i] != 0) {
            ++side_tally.excluded_voxels;
            return;
          }
          const auto slot = static_cast<std::size_t>(values[i] + 32768);
          ++side_tally.density_voxels;
          row_hu_sum[side] += values[i];
          side_tally.histogram.add_to_bin(classes.bin[slot]);
          ++side_tally.band_counts[classes.band[slot]];
        });
        for (int side = 0; side < 2; ++side) tally.sides[side].hu_sum += static_cast<double>(row_hu_sum[side]);
      }
    }
  });
}

template <class HuValue>
void measure_slices(const HuValue* hu, const HuVolume& volume, const LungSegmentation& segmentation,
                    const ZPlane& plane, const std::array<std::optional<LungZExtent>, 2>& extents,
                    std::vector<SliceTally>& slices) {
  const Geometry& g = volume.geometry;
  const bool has_lesions = !segmentation.lesions.empty();
  const bool has_padding = !volume.padding_mask.empty();

  parallel_for(0, g.size[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    for (std::int64_t k = k_begin; k < k_end; ++k) {
      SliceTally& tally = slices[static_cast<std::size_t>(k)];
      for (std::int64_t j = 0; j < g.size[1]; ++j) {
        const double row_z = plane.row_z(j, k);
        const std::int64_t row = g.linear_index(0, j, k);
        const std::uint8_t* lesion_row = has_lesions ? segmentation.lesions.data() + row : nullptr;
        for_each_labelled(segmentation.lungs.data() + row, lesion_row, g.size[0], [&](std::int64_t i) {
          const std::int64_t index = row + i;
          const std::uint8_t lesion = has_lesions ? segmentation.lesions[index] : 0;
          const int side = tally.side_or_count_outside(segmentation.lungs[index], lesion);
          if (side < 0) return;

          SideTally& side_tally = tally.sides[side];
          const double z = row_z + static_cast<double>(i) * plane.dz_di;
          count_in_zone(side_tally.zone_counts[static_cast<int>(extents[side]->zone_of(z))], lesion);

          const double value = static_cast<double>(hu[index]);
          if ((has_padding && volume.padding_mask[index] != 0) || !std::isfinite(value)) {
            ++side_tally.excluded_voxels;
            return;
          }
          ++side_tally.density_voxels;
          side_tally.hu_sum += value;
          side_tally.histogram.add(value);
          ++side_tally.band_counts[static_cast<int>(density_band_of(value))];
        });
      }
    }
  });
}

std::optional<double> percent_of(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

RegionMeasures make_region(std::int64_t lung, std::int64_t ground_glass, std::int64_t consolidation,
                           double voxel_ml) {
  RegionMeasures region;
  region.lung_voxel_count = lung;
  region.lung_volume_ml = static_cast<double>(lung) * voxel_ml;
  const auto fraction = [&](std::int64_t count) {
    return VolumeFraction{count, static_cast<double>(count) * voxel_ml, percent_of(count, lung)};
  };
  region.ground_glass = fraction(ground_glass);
  region.consolidation = fraction(consolidation);
  region.involvement = fraction(ground_glass + consolidation);
  return region;
}

void finish_density(DensityMeasures& density, double hu_sum, const std::array<std::int64_t, 4>& bands,
                    double voxel_ml) {
  if (density.density_voxel_count > 0)
    density.mean_hu = hu_sum / static_cast<double>(density.density_voxel_count);
  for (int b = 0; b < kDensityBandCount; ++b) {
    density.bands[b] = {kDensityBands[b], bands[b], static_cast<double>(bands[b]) * voxel_ml,
                        percent_of(bands[b], density.density_voxel_count)};
  }
}

void warn(Diagnostics& diagnostics, DiagnosticCode code, std::string message) {
  diagnostics.push_back({code, Severity::warning, "", std::move(message)});
}

}  // namespace

LungQuantification quantify(const HuVolume& volume, const LungSegmentation& segmentation) {
  LungQuantification result;
  result.right.side = LungSide::right;
  result.left.side = LungSide::left;
  if (!check_quantify_inputs(volume, segmentation, result.diagnostics)) return result;
  if (!segmentation.lungs_found) {
    result.diagnostics.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                                  "quantify: the segmentation found no lung, so there is nothing to "
                                  "measure (see the segmentation diagnostics)"});
    return result;
  }

  const Geometry& g = volume.geometry;
  const ZPlane plane(g);
  result.voxel_volume_mm3 = g.voxel_volume_mm3();
  const double voxel_ml = result.voxel_volume_mm3 / 1000.0;

  // Pass 1: label checks and each lung's z extent, which the zone split needs.
  const ExtentTally extent = measure_extents(segmentation, plane);
  if (extent.invalid_lung_labels > 0) {
    result.diagnostics.push_back(
        {DiagnosticCode::invalid_argument, Severity::error, "",
         "quantify: " + std::to_string(extent.invalid_lung_labels) + " voxels carry lung label " +
             std::to_string(extent.invalid_lung_example) + "; valid labels are 0 to 3 (LungLabel)"});
    return result;
  }
  if (extent.invalid_lesion_labels > 0) {
    result.diagnostics.push_back(
        {DiagnosticCode::invalid_argument, Severity::error, "",
         "quantify: " + std::to_string(extent.invalid_lesion_labels) + " voxels carry lesion label " +
             std::to_string(extent.invalid_lesion_example) + "; valid labels are 0 to 2 (LesionLabel)"});
    return result;
  }
  std::array<std::optional<LungZExtent>, 2> extents;
  for (int side = 0; side < 2; ++side)
    if (extent.lung_voxels[side] > 0) extents[side] = LungZExtent{extent.z_min[side], extent.z_max[side]};

  // Pass 2: volumes per zone and density statistics, tallied per slice.
  std::vector<SliceTally> slices(static_cast<std::size_t>(g.size[2]));
  if (volume.voxel_type == VoxelType::int16)
    measure_int16_slices(volume.int16_hu.data(), volume, segmentation, plane, extents, slices);
  else
    measure_slices(volume.float32_hu.data(), volume, segmentation, plane, extents, slices);

  // Combine the slices in order.
  std::array<SideTally, 2> sides;
  double both_hu_sum = 0.0;
  std::int64_t lesions_outside_lung = 0;
  for (const SliceTally& slice : slices) {
    for (int side = 0; side < 2; ++side) {
      const SideTally& from = slice.sides[side];
      SideTally& to = sides[side];
      for (int zone = 0; zone < kZonesPerLung; ++zone)
        for (int c = 0; c < 3; ++c) to.zone_counts[zone][c] += from.zone_counts[zone][c];
      to.density_voxels += from.density_voxels;
      to.excluded_voxels += from.excluded_voxels;
      to.hu_sum += from.hu_sum;
      to.histogram.merge(from.histogram);
      for (int b = 0; b < kDensityBandCount; ++b) to.band_counts[b] += from.band_counts[b];
    }
    both_hu_sum += slice.sides[0].hu_sum + slice.sides[1].hu_sum;
    result.airway_voxel_count += slice.airway_voxels;
    lesions_outside_lung += slice.lesions_outside_lung;
  }
  result.airway_volume_ml = static_cast<double>(result.airway_voxel_count) * voxel_ml;

  // Per lung and per zone.
  std::array<std::int64_t, 3> both_counts{};
  std::array<std::int64_t, kDensityBandCount> both_bands{};
  for (int side = 0; side < 2; ++side) {
    LungMeasures& lung = side == 0 ? result.right : result.left;
    const SideTally& tally = sides[side];
    lung.z_extent = extents[side];

    std::array<std::int64_t, 3> lung_counts{};
    for (int zone = 0; zone < kZonesPerLung; ++zone) {
      const auto& counts = tally.zone_counts[zone];
      ZoneMeasures& measures = lung.zones[zone];
      measures.side = lung.side;
      measures.zone = static_cast<LungZone>(zone);
      if (extents[side]) {
        measures.z_lower_mm = extents[side]->zone_lower_mm(measures.zone);
        measures.z_upper_mm = extents[side]->zone_upper_mm(measures.zone);
      }
      measures.region = make_region(counts[0], counts[1], counts[2], voxel_ml);
      if (counts[0] > 0) {
        measures.score = zone_score_from_percent(measures.region.involvement.percent_of_lung.value_or(0.0));
        result.both.severity_score += *measures.score;
        ++result.both.scored_zones;
      }
      for (int c = 0; c < 3; ++c) lung_counts[c] += counts[c];
    }
    lung.region = make_region(lung_counts[0], lung_counts[1], lung_counts[2], voxel_ml);

    lung.density.density_voxel_count = tally.density_voxels;
    lung.density.excluded_voxel_count = tally.excluded_voxels;
    lung.density.histogram = tally.histogram;
    finish_density(lung.density, tally.hu_sum, tally.band_counts, voxel_ml);

    for (int c = 0; c < 3; ++c) both_counts[c] += lung_counts[c];
    for (int b = 0; b < kDensityBandCount; ++b) both_bands[b] += tally.band_counts[b];
    result.both.density.density_voxel_count += tally.density_voxels;
    result.both.density.excluded_voxel_count += tally.excluded_voxels;
    result.both.density.histogram.merge(tally.histogram);

    if (!extents[side])
      warn(result.diagnostics, DiagnosticCode::invalid_argument,
           "quantify: the " + std::string(lung_side_name(lung.side)) +
               " lung mask is empty; its volume is 0 mL and its percents are undefined");
  }
  if (result.both.scored_zones < 2 * kZonesPerLung) {
    std::string unscored;
    for (const LungMeasures* lung : {&result.right, &result.left})
      for (const ZoneMeasures& zone : lung->zones)
        if (!zone.score) {
          if (!unscored.empty()) unscored += ", ";
          unscored += zone_label(zone.side, zone.zone);
        }
    warn(result.diagnostics, DiagnosticCode::limited_coverage,
         "quantify: " + std::to_string(2 * kZonesPerLung - result.both.scored_zones) +
             " of 6 zones contain no lung voxel (" + unscored + "); they have no score, so the severity score " +
             std::to_string(result.both.severity_score) + " sums " + std::to_string(result.both.scored_zones) +
             " zones and is not on the 0-30 scale of whole lungs");
  }
  result.both.region = make_region(both_counts[0], both_counts[1], both_counts[2], voxel_ml);
  finish_density(result.both.density, both_hu_sum, both_bands, voxel_ml);

  // Findings that leave the numbers usable.
  if (result.both.density.excluded_voxel_count > 0)
    warn(result.diagnostics, DiagnosticCode::pixel_padding,
         "quantify: " + std::to_string(result.both.density.excluded_voxel_count) +
             " lung voxels are padding or not finite; they count in the lung volume but not in "
             "the mean density, histogram or density bands");
  if (lesions_outside_lung > 0)
    warn(result.diagnostics, DiagnosticCode::invalid_argument,
         "quantify: " + std::to_string(lesions_outside_lung) +
             " voxels carry a lesion label outside both lung masks; they were ignored");
  if (segmentation.lesions.empty())
    result.diagnostics.push_back({DiagnosticCode::invalid_argument, Severity::info, "",
                                  "quantify: the segmentation has no lesion labels; GGO and "
                                  "consolidation volumes are 0 mL"});

  result.ok = true;
  return result;
}

}  // namespace lunglens
