#include <doctest/doctest.h>

#include <cmath>

#include "image/distance_transform.h"
#include "support/test_grid.h"

using namespace lunglens;
using lunglens::test::grid;

TEST_SUITE("image") {

TEST_CASE("distance to one voxel, anisotropic") {
  const Geometry geometry = grid(9, 7, 5, {0.5, 0.7, 2.5});
  Mask features(geometry.voxel_count(), 0);
  features[geometry.linear_index(4, 3, 2)] = 1;
  const std::vector<float> d2 = squared_distance_mm2(features, geometry);

  for (std::int64_t k = 0; k < 5; ++k)
    for (std::int64_t j = 0; j < 7; ++j)
      for (std::int64_t i = 0; i < 9; ++i) {
        const double dx = (i - 4) * 0.5, dy = (j - 3) * 0.7, dz = (k - 2) * 2.5;
        CHECK(d2[geometry.linear_index(i, j, k)] == doctest::Approx(dx * dx + dy * dy + dz * dz).epsilon(1e-5));
      }
}

TEST_CASE("distance to nearest of two features") {
  const Geometry geometry = grid(20, 1, 1, {1.5, 1.0, 1.0});
  Mask features(20, 0);
  features[2] = 1;
  features[15] = 1;
  const std::vector<float> d2 = squared_distance_mm2(features, geometry);
  CHECK(d2[0] == doctest::Approx(9.0));       // 2 voxels x 1.5 mm.
  CHECK(d2[8] == doctest::Approx(81.0));      // 6 voxels from voxel 2.
  CHECK(d2[9] == doctest::Approx(81.0));      // 6 voxels from voxel 15.
  CHECK(d2[19] == doctest::Approx(36.0));
}

TEST_CASE("distance without features is infinite") {
  const Geometry geometry = grid(4, 4, 3, {1, 1, 1});
  Mask features(geometry.voxel_count(), 0);
  features[geometry.linear_index(1, 1, 0)] = 1;
  const std::vector<float> volume = squared_distance_mm2(features, geometry);
  const std::vector<float> per_slice = squared_distance_mm2(features, geometry, FilterScope::per_slice);
  CHECK(volume[geometry.linear_index(1, 1, 2)] == doctest::Approx(4.0));
  CHECK(per_slice[geometry.linear_index(1, 1, 2)] == kNoFeature);
  CHECK(per_slice[geometry.linear_index(3, 1, 0)] == doctest::Approx(4.0));
  CHECK(squared_distance_mm2(Mask(geometry.voxel_count(), 0), geometry)[0] == kNoFeature);
}

TEST_CASE("distance inside a slab is half-thickness") {
  // A slab 9 voxels thick along k (2 mm slices) inside a 3 x 3 x 13 grid:
  // the grid border is no barrier, so only the slab faces count.
  const Geometry geometry = grid(3, 3, 13, {0.7, 0.7, 2.0});
  Mask slab(geometry.voxel_count(), 0);
  for (std::int64_t k = 2; k <= 10; ++k)
    for (std::int64_t v = 0; v < 9; ++v) slab[k * 9 + v] = 1;
  const std::vector<float> inside = distance_inside_mm(slab, geometry);
  CHECK(inside[geometry.linear_index(1, 1, 6)] == doctest::Approx(10.0));  // 5 slices to k = 1.
  CHECK(inside[geometry.linear_index(0, 0, 2)] == doctest::Approx(2.0));
  CHECK(inside[geometry.linear_index(0, 0, 0)] == doctest::Approx(0.0));
}

}  // TEST_SUITE
