// Craniocaudal zones of one lung. These are geometric thirds, not anatomical
// lobes: the upper zone of the right lung contains parts of several lobes.
//
// Rule: the lung's height runs from its most caudal to its most cranial voxel
// centre along the patient z axis (LPS +z towards the head). It is split into
// three equal thirds. With t = (z - z_min) / (z_max - z_min) for a voxel
// centre at z, the voxel is in the lower zone when t < 1/3, the middle zone
// when 1/3 <= t < 2/3 and the upper zone otherwise (a voxel centre exactly on
// a boundary goes to the more cranial zone). A lung whose voxels all lie at
// one z puts them all in the upper zone. Because z is a patient coordinate,
// the split does not depend on slice order or patient position (HFS, FFS, HFP).
#pragma once

#include <string_view>

namespace lunglens {

enum class LungSide { right = 0, left = 1 };

enum class LungZone { upper = 0, middle = 1, lower = 2 };

inline constexpr int kZonesPerLung = 3;

// Extent of one lung along LPS z between its extreme voxel centres, in mm.
struct LungZExtent {
  double z_min_mm = 0.0;
  double z_max_mm = 0.0;

  double height_mm() const { return z_max_mm - z_min_mm; }

  // Returns the zone of a voxel centre at z_mm (rule above).
  LungZone zone_of(double z_mm) const;

  // Returns the z range of a zone: [lower_mm, upper_mm) for the lower and
  // middle zones, [lower_mm, upper_mm] for the upper zone.
  double zone_lower_mm(LungZone zone) const;
  double zone_upper_mm(LungZone zone) const;
};

// Returns "right" or "left".
std::string_view lung_side_name(LungSide side);

// Returns "upper", "middle" or "lower".
std::string_view lung_zone_name(LungZone zone);

// Returns the display label, e.g. "right upper zone".
std::string_view zone_label(LungSide side, LungZone zone);

}  // namespace lunglens
