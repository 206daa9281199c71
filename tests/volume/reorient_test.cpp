#include <doctest/doctest.h>

#include <cmath>

#include "volume/reorient.h"

using namespace lunglens;

namespace {

// A 3x2x2 grid whose voxel values are their linear index.
HuVolume make_indexed_volume(const std::array<Vec3, 3>& axes) {
  HuVolume volume;
  volume.geometry.size = {3, 2, 2};
  volume.geometry.spacing_mm = {0.5, 0.7, 2.0};
  volume.geometry.origin_mm = {10.0, 20.0, 30.0};
  volume.geometry.axes = axes;
  for (std::int16_t v = 0; v < 12; ++v) volume.int16_hu.push_back(v);
  return volume;
}

}  // namespace

TEST_CASE("reorient keeps every voxel at its LPS position") {
  // Prone, feet-first-like axes: i towards right, j towards anterior, k towards feet.
  const HuVolume volume = make_indexed_volume({{{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}}});
  const HuVolume canonical = reorient_to_canonical(volume);

  CHECK(canonical.geometry.axes[0] == Vec3{1, 0, 0});
  CHECK(canonical.geometry.axes[1] == Vec3{0, 1, 0});
  CHECK(canonical.geometry.axes[2] == Vec3{0, 0, 1});
  for (std::int64_t k = 0; k < 2; ++k)
    for (std::int64_t j = 0; j < 2; ++j)
      for (std::int64_t i = 0; i < 3; ++i) {
        const Vec3 p = canonical.geometry.index_to_lps({double(i), double(j), double(k)});
        const Vec3 source = volume.geometry.lps_to_index(p);
        const auto source_index = volume.geometry.linear_index(std::llround(source[0]), std::llround(source[1]),
                                                               std::llround(source[2]));
        CHECK(canonical.int16_hu[canonical.geometry.linear_index(i, j, k)] == volume.int16_hu[source_index]);
      }
}

TEST_CASE("reorient permutes swapped axes") {
  // Sagittal-like: i along y (posterior), j along -z (feet), k along x (left).
  const HuVolume volume = make_indexed_volume({{{0, 1, 0}, {0, 0, -1}, {1, 0, 0}}});
  const HuVolume canonical = reorient_to_canonical(volume);

  CHECK(canonical.geometry.size == std::array<std::int64_t, 3>{2, 3, 2});
  CHECK(canonical.geometry.spacing_mm == Vec3{2.0, 0.5, 0.7});
  CHECK(canonical.geometry.axes[2] == Vec3{0, 0, 1});
  const AxisPermutation permutation = canonical_permutation(volume.geometry);
  const AxisPermutation inverse = inverse_permutation(permutation);
  const Geometry back = permute_geometry(canonical.geometry, inverse);
  CHECK(permute_voxels(canonical.int16_hu, canonical.geometry, inverse) == volume.int16_hu);
  CHECK(back.origin_mm[0] == doctest::Approx(volume.geometry.origin_mm[0]));
  CHECK(back.origin_mm[2] == doctest::Approx(volume.geometry.origin_mm[2]));
}

TEST_CASE("geometry voxel volume with shear") {
  Geometry geometry;
  geometry.spacing_mm = {0.5, 0.5, 2.0};
  const double tilt = 20.0 * 3.14159265358979 / 180.0;
  geometry.axes[2] = {0.0, std::sin(tilt), std::cos(tilt)};
  CHECK_FALSE(geometry.is_orthonormal());
  // The slice spacing is measured along the sheared axis, so the slab is thinner by cos(tilt).
  CHECK(geometry.voxel_volume_mm3() == doctest::Approx(0.5 * 0.5 * 2.0 * std::cos(tilt)));
  const Vec3 p = geometry.index_to_lps({3.0, 4.0, 5.0});
  const Vec3 ijk = geometry.lps_to_index(p);
  CHECK(ijk[0] == doctest::Approx(3.0));
  CHECK(ijk[1] == doctest::Approx(4.0));
  CHECK(ijk[2] == doctest::Approx(5.0));
}
