#include <doctest/doctest.h>

#include <random>

#include "image/connected_components.h"

using namespace lunglens;

namespace {

Geometry grid(std::int64_t nx, std::int64_t ny, std::int64_t nz) {
  Geometry geometry;
  geometry.size = {nx, ny, nz};
  return geometry;
}

}  // namespace

TEST_SUITE("image") {

TEST_CASE("components of sphere and cube") {
  // A sphere of radius 8 voxels and a separate 4 x 4 x 4 cube.
  const Geometry geometry = grid(40, 24, 24);
  Mask mask(geometry.voxel_count(), 0);
  std::int64_t sphere_voxels = 0;
  for (std::int64_t k = 0; k < 24; ++k)
    for (std::int64_t j = 0; j < 24; ++j)
      for (std::int64_t i = 0; i < 40; ++i) {
        const auto d2 = (i - 11) * (i - 11) + (j - 11) * (j - 11) + (k - 11) * (k - 11);
        const bool in_sphere = d2 <= 64;
        const bool in_cube = i >= 30 && i < 34 && j >= 5 && j < 9 && k >= 15 && k < 19;
        mask[geometry.linear_index(i, j, k)] = in_sphere || in_cube;
        sphere_voxels += in_sphere;
      }

  const Components components = label_components(mask, geometry);
  REQUIRE(components.count() == 2);
  CHECK(components.sizes[1] == sphere_voxels);  // The sphere's first voxel comes first in raster order.
  CHECK(components.sizes[2] == 64);
  CHECK(components.labels[geometry.linear_index(11, 11, 11)] == 1);
  CHECK(components.labels[geometry.linear_index(31, 6, 16)] == 2);
  CHECK(components.sizes[0] == geometry.voxel_count() - sphere_voxels - 64);
  CHECK(count_nonzero(largest_component(mask, geometry)) == sphere_voxels);
}

TEST_CASE("components diagonal connectivity") {
  // Voxels touching only at corners: one component with 26-, three with 6-connectivity.
  const Geometry geometry = grid(3, 3, 3);
  Mask diagonal(27, 0);
  for (std::int64_t t = 0; t < 3; ++t) diagonal[geometry.linear_index(t, t, t)] = 1;
  CHECK(label_components(diagonal, geometry, Connectivity::face).count() == 3);
  CHECK(label_components(diagonal, geometry, Connectivity::full).count() == 1);
}

TEST_CASE("components U shape joins") {
  // Two arms joined only at the bottom slice, a case that needs set merging.
  const Geometry geometry = grid(5, 1, 4);
  Mask shape(20, 0);
  for (std::int64_t k = 0; k < 4; ++k) {
    shape[geometry.linear_index(0, 0, k)] = 1;
    shape[geometry.linear_index(4, 0, k)] = 1;
  }
  for (std::int64_t i = 0; i < 5; ++i) shape[geometry.linear_index(i, 0, 3)] = 1;
  const Components components = label_components(shape, geometry);
  CHECK(components.count() == 1);
  CHECK(components.sizes[1] == 11);
  CHECK(label_components(shape, geometry, Connectivity::face, FilterScope::per_slice).count() == 7);
}

TEST_CASE("largest component per slice") {
  const Geometry geometry = grid(6, 1, 2);
  const Mask mask{1, 1, 0, 1, 0, 0,   // Slice 0: sizes 2 and 1.
                  1, 0, 1, 1, 1, 0};  // Slice 1: sizes 1 and 3.
  const Mask expected{1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0};
  CHECK(largest_component(mask, geometry, Connectivity::face, FilterScope::per_slice) == expected);
  // In 3D the slices join into components of 3 and 4 voxels.
  CHECK(count_nonzero(remove_small_components(mask, geometry, 4)) == 4);
  CHECK(count_nonzero(remove_small_components(mask, geometry, 3)) == 7);
}

TEST_CASE("runs across word boundaries") {
  // Rows of 37 voxels (not a multiple of 8) with runs of every length and
  // values other than 1: each row's runs must match a voxel-by-voxel scan.
  std::mt19937 random(5);
  const Geometry geometry = grid(37, 9, 1);
  Mask mask(geometry.voxel_count(), 0);
  for (std::int64_t j = 0; j < 9; ++j) {
    std::int64_t i = static_cast<std::int64_t>(random() % 3);
    while (i < 37) {
      const auto length = static_cast<std::int64_t>(1 + random() % (4 + 4 * j));
      for (std::int64_t t = i; t < std::min<std::int64_t>(37, i + length); ++t)
        mask[geometry.linear_index(t, j, 0)] = static_cast<std::uint8_t>(1 + random() % 255);
      i += length + 1 + static_cast<std::int64_t>(random() % (2 + 5 * (j % 3)));
    }
  }
  const RunComponents components = label_runs(mask, geometry, Connectivity::face, FilterScope::per_slice);
  for (std::int64_t j = 0; j < 9; ++j) {
    std::vector<std::pair<std::int64_t, std::int64_t>> expected, found;
    for (std::int64_t i = 0; i < 37; ++i)
      if (mask[geometry.linear_index(i, j, 0)] && (i == 0 || !mask[geometry.linear_index(i - 1, j, 0)]))
        expected.emplace_back(i, i);
    for (auto& [begin, end] : expected)
      while (end < 37 && mask[geometry.linear_index(end, j, 0)]) ++end;
    components.for_each_run(0, [&](std::int64_t row, const Run& run, std::int32_t) {
      if (row == j) found.emplace_back(run.begin, run.end);
    });
    CAPTURE(j);
    CHECK(found == expected);
  }
}

}  // TEST_SUITE
