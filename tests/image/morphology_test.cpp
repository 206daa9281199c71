#include <doctest/doctest.h>

#include <random>
#include <stdexcept>

#include "image/distance_transform.h"
#include "image/morphology.h"
#include "support/test_grid.h"

using namespace lunglens;
using lunglens::test::grid;

TEST_SUITE("image") {

TEST_CASE("dilate point gives ellipsoid") {
  // Radius 3 mm on 1 x 1 x 2 mm voxels: offsets with x^2 + y^2 + (2 dz)^2 <= 9.
  const Geometry geometry = grid(11, 11, 7, {1.0, 1.0, 2.0});
  Mask point(geometry.voxel_count(), 0);
  point[geometry.linear_index(5, 5, 3)] = 1;
  const Mask ball = dilate(point, geometry, Ellipsoid::ball(3.0));

  std::int64_t expected = 0;
  for (int dz = -3; dz <= 3; ++dz)
    for (int dy = -5; dy <= 5; ++dy)
      for (int dx = -5; dx <= 5; ++dx) expected += dx * dx + dy * dy + 4 * dz * dz <= 9;
  CHECK(count_nonzero(ball) == expected);
  CHECK(ball[geometry.linear_index(5, 5, 4)] == 1);   // 2 mm above.
  CHECK(ball[geometry.linear_index(5, 5, 5)] == 0);   // 4 mm above.
  CHECK(ball[geometry.linear_index(8, 5, 3)] == 1);   // Exactly on the surface.
  CHECK(ball[geometry.linear_index(8, 6, 3)] == 0);
}

TEST_CASE("close fills a gap") {
  // Two blocks separated by a 2-voxel (2 mm) gap along i.
  const Geometry geometry = grid(20, 8, 8, {1.0, 1.0, 1.0});
  Mask blocks(geometry.voxel_count(), 0);
  for (std::int64_t k = 2; k < 6; ++k)
    for (std::int64_t j = 2; j < 6; ++j)
      for (std::int64_t i = 3; i < 17; ++i) blocks[geometry.linear_index(i, j, k)] = i < 9 || i > 10;

  const Mask closed = close(blocks, geometry, Ellipsoid::ball(1.5));
  CHECK(closed[geometry.linear_index(9, 3, 3)] == 1);
  CHECK(closed[geometry.linear_index(10, 4, 4)] == 1);
  // The gap contains 2 x 16 voxels, and the 8 on its four edges stay open because
  // a ball centred there reaches a corner voxel that dilation never set.
  CHECK(count_nonzero(closed) == count_nonzero(blocks) + 2 * 16 - 8);

  const Mask too_small = close(blocks, geometry, Ellipsoid::ball(0.9));
  CHECK(count_nonzero(too_small) == count_nonzero(blocks));
}

TEST_CASE("close keeps mask at grid border") {
  // A mask filling the first slices must not shrink at the border.
  const Geometry geometry = grid(6, 6, 6, {1.0, 1.0, 1.0});
  Mask half(geometry.voxel_count(), 0);
  for (std::int64_t v = 0; v < 6 * 6 * 3; ++v) half[v] = 1;
  CHECK(close(half, geometry, Ellipsoid::ball(2.0)) == half);
}

TEST_CASE("open removes thin line") {
  // A 6 x 6 x 6 block with a one-voxel line attached: opening with r = 1.5
  // keeps the block (a cube with rounded edges is not quite whole) but drops the line.
  const Geometry geometry = grid(20, 10, 10, {1.0, 1.0, 1.0});
  Mask shape(geometry.voxel_count(), 0);
  for (std::int64_t k = 2; k < 8; ++k)
    for (std::int64_t j = 2; j < 8; ++j)
      for (std::int64_t i = 2; i < 8; ++i) shape[geometry.linear_index(i, j, k)] = 1;
  for (std::int64_t i = 8; i < 18; ++i) shape[geometry.linear_index(i, 5, 5)] = 1;

  const Mask opened = open(shape, geometry, Ellipsoid::ball(1.5));
  CHECK(opened[geometry.linear_index(5, 5, 5)] == 1);
  CHECK(opened[geometry.linear_index(12, 5, 5)] == 0);
  CHECK(count_nonzero(opened) <= 216);
  CHECK(count_nonzero(opened) >= 216 - 8 * 4);  // At most the 8 corners of each face ring lost.
}

TEST_CASE("per-slice dilation stays in slice") {
  const Geometry geometry = grid(7, 7, 3, {1.0, 1.0, 0.5});
  Mask point(geometry.voxel_count(), 0);
  point[geometry.linear_index(3, 3, 1)] = 1;
  const Mask disc = dilate(point, geometry, Ellipsoid::ball(2.0), FilterScope::per_slice);
  CHECK(count_nonzero(disc) == 13);
  CHECK(disc[geometry.linear_index(3, 3, 0)] == 0);
}

TEST_CASE("element radius must be positive") {
  const Geometry geometry = grid(3, 3, 3, {1.0, 1.0, 1.0});
  CHECK_THROWS_AS(dilate(Mask(27, 0), geometry, Ellipsoid::ball(0.0)), std::invalid_argument);
}

}  // TEST_SUITE

TEST_SUITE("image") {

TEST_CASE("per-slice paths match distance transform") {
  // The per-slice filters take a faster path; compare it with the 3D path on
  // a one-slice grid, where both must give the same voxels.
  Geometry geometry;
  geometry.size = {40, 30, 1};
  geometry.spacing_mm = {0.7, 0.9, 5.0};
  Mask mask(geometry.voxel_count(), 0);
  for (std::int64_t j = 0; j < 30; ++j)
    for (std::int64_t i = 0; i < 40; ++i)
      mask[geometry.linear_index(i, j, 0)] = ((i * 7 + j * 13) % 11 < 6) || (i > 10 && i < 30 && j > 5 && j < 25);
  // Narrow elements take the widened-rows path, wide ones (more than 8
  // pixels, or wider than the grid) the distance-scan path.
  for (const Ellipsoid element : {Ellipsoid{{2.6, 3.1, 4.0}}, Ellipsoid{{0.5, 0.5, 4.0}}, Ellipsoid{{9.0, 7.0, 4.0}},
                                  Ellipsoid{{30.0, 5.0, 4.0}}, Ellipsoid{{2.5e9, 5.0, 4.0}}}) {
    CAPTURE(element.radius_mm[0]);
    CHECK(dilate(mask, geometry, element, FilterScope::per_slice) == dilate(mask, geometry, element));
    CHECK(erode(mask, geometry, element, FilterScope::per_slice) == erode(mask, geometry, element));
    CHECK(close(mask, geometry, element, FilterScope::per_slice) == close(mask, geometry, element));
  }
}

TEST_CASE("morphology of an empty mask") {
  Geometry geometry;
  geometry.size = {6, 5, 4};
  const Mask empty(120, 0);
  for (const FilterScope scope : {FilterScope::volume, FilterScope::per_slice}) {
    CHECK(dilate(empty, geometry, Ellipsoid::ball(2.0), scope) == empty);
    CHECK(erode(empty, geometry, Ellipsoid::ball(2.0), scope) == empty);
    CHECK(open(empty, geometry, Ellipsoid::ball(2.0), scope) == empty);
    CHECK_THROWS_AS(erode(empty, geometry, Ellipsoid::ball(-1.0), scope), std::invalid_argument);
  }
}

TEST_CASE("erosion matches whole-grid distance transform") {
  // Blobs of random radius and thin lines on an anisotropic grid: erode()
  // works on the box around cheap candidates only, and must give exactly the
  // threshold of the distance transform of the whole background.
  std::mt19937 random(11);
  const Geometry geometry = grid(40, 36, 18, {0.7, 0.7, 2.5});
  for (const Ellipsoid element : {Ellipsoid::ball(3.0), Ellipsoid{{2.0, 4.0, 5.0}}, Ellipsoid::ball(8.0)}) {
    Mask mask(static_cast<std::size_t>(geometry.voxel_count()), 0);
    for (int blob = 0; blob < 6; ++blob) {
      const double ci = random() % 40, cj = random() % 36, ck = random() % 18, radius_mm = 2.0 + random() % 8;
      for (std::int64_t k = 0; k < 18; ++k)
        for (std::int64_t j = 0; j < 36; ++j)
          for (std::int64_t i = 0; i < 40; ++i) {
            const double x = (i - ci) * 0.7, y = (j - cj) * 0.7, z = (k - ck) * 2.5;
            if (x * x + y * y + z * z <= radius_mm * radius_mm) mask[geometry.linear_index(i, j, k)] = 1;
          }
    }
    for (std::int64_t k = 0; k < 18; ++k) mask[geometry.linear_index(5, 30, k)] = 1;  // A vessel along k.

    Mask background(mask.size());
    for (std::size_t v = 0; v < mask.size(); ++v) background[v] = mask[v] ? 0 : 1;
    Geometry scaled = geometry;
    for (int a = 0; a < 3; ++a) scaled.spacing_mm[a] /= element.radius_mm[a];
    const std::vector<float> distance = squared_distance_mm2(background, scaled);
    Mask expected(mask.size());
    for (std::size_t v = 0; v < mask.size(); ++v) expected[v] = !(distance[v] <= 1.0f + 1e-5f);

    CAPTURE(element.radius_mm[0]);
    CHECK(erode(mask, geometry, element) == expected);
  }
}

}  // TEST_SUITE
