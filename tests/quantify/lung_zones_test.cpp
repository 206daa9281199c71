#include <doctest/doctest.h>

#include "quantify/lung_zones.h"

using namespace lunglens;

TEST_SUITE("quantify") {

TEST_CASE("zone of voxel centres") {
  // 10 slices at z = 0, 2.5, ..., 22.5 mm: thirds at 7.5 and 15 mm.
  const LungZExtent extent{0.0, 22.5};
  CHECK(extent.zone_of(0.0) == LungZone::lower);
  CHECK(extent.zone_of(5.0) == LungZone::lower);
  CHECK(extent.zone_of(7.5) == LungZone::middle);  // On the boundary: the cranial zone.
  CHECK(extent.zone_of(12.5) == LungZone::middle);
  CHECK(extent.zone_of(15.0) == LungZone::upper);
  CHECK(extent.zone_of(22.5) == LungZone::upper);
  CHECK(extent.zone_lower_mm(LungZone::middle) == doctest::Approx(7.5));
  CHECK(extent.zone_upper_mm(LungZone::middle) == doctest::Approx(15.0));
}

TEST_CASE("zone of single-slice lung") {
  const LungZExtent extent{-40.0, -40.0};
  CHECK(extent.zone_of(-40.0) == LungZone::upper);
}

TEST_CASE("zone labels") {
  CHECK(zone_label(LungSide::right, LungZone::upper) == "right upper zone");
  CHECK(zone_label(LungSide::left, LungZone::lower) == "left lower zone");
}

}  // TEST_SUITE
