#include <doctest/doctest.h>

#include <cmath>

#include "quantify/severity_score.h"

using namespace lunglens;

TEST_SUITE("quantify") {

TEST_CASE("zone score bin edges") {
  CHECK(zone_score_from_percent(0.0) == 0);
  CHECK(zone_score_from_percent(1e-9) == 0);
  CHECK(zone_score_from_percent(0.49) == 0);
  CHECK(zone_score_from_percent(0.5) == 1);
  CHECK(zone_score_from_percent(4.99) == 1);
  CHECK(zone_score_from_percent(5.0) == 2);
  CHECK(zone_score_from_percent(25.0) == 2);
  CHECK(zone_score_from_percent(25.5) == 3);
  CHECK(zone_score_from_percent(26.0) == 3);
  CHECK(zone_score_from_percent(50.0) == 3);
  CHECK(zone_score_from_percent(50.01) == 4);
  CHECK(zone_score_from_percent(75.0) == 4);
  CHECK(zone_score_from_percent(75.01) == 5);
  CHECK(zone_score_from_percent(100.0) == 5);
}

TEST_CASE("zone score out of range") {
  CHECK(zone_score_from_percent(-3.0) == 0);
  CHECK(zone_score_from_percent(std::nan("")) == 0);
  CHECK(zone_score_from_percent(250.0) == 5);
}

TEST_CASE("zone score from voxel ratios") {
  // Percents computed as 100 * part / whole land exactly on integer edges.
  CHECK(zone_score_from_percent(100.0 * 1 / 20) == 2);     // 5 %
  CHECK(zone_score_from_percent(100.0 * 1 / 4) == 2);      // 25 %
  CHECK(zone_score_from_percent(100.0 * 3 / 4) == 4);      // 75 %
  CHECK(zone_score_from_percent(100.0 * 499 / 10000) == 1);
  CHECK(zone_score_from_percent(100.0 * 7501 / 10000) == 5);
}

}  // TEST_SUITE
