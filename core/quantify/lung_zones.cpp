#include "quantify/lung_zones.h"

namespace lunglens {

LungZone LungZExtent::zone_of(double z_mm) const {
  // 3 (z - z_min) compared with the height keeps the comparison free of a
  // division, so voxel centres exactly on a third fall on the boundary.
  const double scaled = 3.0 * (z_mm - z_min_mm);
  const double height = height_mm();
  if (scaled < height) return LungZone::lower;
  if (scaled < 2.0 * height) return LungZone::middle;
  return LungZone::upper;
}

double LungZExtent::zone_lower_mm(LungZone zone) const {
  switch (zone) {
    case LungZone::lower: return z_min_mm;
    case LungZone::middle: return z_min_mm + height_mm() / 3.0;
    case LungZone::upper: return z_min_mm + 2.0 * height_mm() / 3.0;
  }
  return z_min_mm;
}

double LungZExtent::zone_upper_mm(LungZone zone) const {
  switch (zone) {
    case LungZone::lower: return z_min_mm + height_mm() / 3.0;
    case LungZone::middle: return z_min_mm + 2.0 * height_mm() / 3.0;
    case LungZone::upper: return z_max_mm;
  }
  return z_max_mm;
}

std::string_view lung_side_name(LungSide side) {
  return side == LungSide::right ? "right" : "left";
}

std::string_view lung_zone_name(LungZone zone) {
  switch (zone) {
    case LungZone::upper: return "upper";
    case LungZone::middle: return "middle";
    case LungZone::lower: return "lower";
  }
  return "unknown";
}

std::string_view zone_label(LungSide side, LungZone zone) {
  const bool right = side == LungSide::right;
  switch (zone) {
    case LungZone::upper: return right ? "right upper zone" : "left upper zone";
    case LungZone::middle: return right ? "right middle zone" : "left middle zone";
    case LungZone::lower: return right ? "right lower zone" : "left lower zone";
  }
  return "unknown zone";
}

}  // namespace lunglens
