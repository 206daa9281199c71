#include <doctest/doctest.h>

#include "image/hole_filling.h"

using namespace lunglens;

TEST_SUITE("image") {

TEST_CASE("fill holes 3D and per slice") {
  // A hollow 5 x 5 x 5 box with a 3 x 3 x 3 cavity, and a tube open at both ends.
  Geometry geometry;
  geometry.size = {12, 7, 7};
  Mask mask(geometry.voxel_count(), 0);
  for (std::int64_t k = 1; k < 6; ++k)
    for (std::int64_t j = 1; j < 6; ++j)
      for (std::int64_t i = 1; i < 6; ++i)
        mask[geometry.linear_index(i, j, k)] = i == 1 || i == 5 || j == 1 || j == 5 || k == 1 || k == 5;
  for (std::int64_t k = 0; k < 7; ++k)
    for (std::int64_t j = 1; j < 6; ++j)
      for (std::int64_t i = 7; i < 11; ++i)
        mask[geometry.linear_index(i, j, k)] = j == 1 || j == 5 || i == 7 || i == 10;

  const Mask filled_3d = fill_holes(mask, geometry);
  CHECK(count_nonzero(filled_3d) == count_nonzero(mask) + 27);
  CHECK(filled_3d[geometry.linear_index(3, 3, 3)] == 1);
  CHECK(filled_3d[geometry.linear_index(8, 3, 3)] == 0);  // The tube opens at the end slices.

  const Mask filled_2d = fill_holes(mask, geometry, FilterScope::per_slice);
  CHECK(filled_2d[geometry.linear_index(8, 3, 3)] == 1);
  CHECK(count_nonzero(filled_2d) == count_nonzero(mask) + 27 + 7 * 6);
}

TEST_CASE("fill holes keeps border background") {
  Geometry geometry;
  geometry.size = {3, 3, 1};
  const Mask ring{1, 1, 1, 1, 0, 1, 1, 1, 1};
  const Mask open_ring{1, 1, 1, 1, 0, 0, 1, 1, 1};
  CHECK(count_nonzero(fill_holes(ring, geometry, FilterScope::per_slice)) == 9);
  CHECK(fill_holes(open_ring, geometry, FilterScope::per_slice) == open_ring);
}

}  // TEST_SUITE
