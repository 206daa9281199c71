#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "segment/canonical_ct.h"
#include "segment/slice_gaps.h"

using namespace lunglens;

namespace {

constexpr std::int64_t kSide = 4;
constexpr std::int64_t kSliceVoxels = kSide * kSide;

// Returns a kSide x kSide x `values.size()` volume on the canonical grid:
// slice k contains values[k] HU, and slices with padding[k] are padding throughout at -1024 HU.
HuVolume slices_volume(const std::vector<std::int16_t>& values, const std::vector<bool>& padding) {
  HuVolume volume;
  volume.geometry.size = {kSide, kSide, static_cast<std::int64_t>(values.size())};
  volume.geometry.spacing_mm = {1.0, 1.0, 2.0};
  for (std::size_t k = 0; k < values.size(); ++k)
    for (std::int64_t v = 0; v < kSliceVoxels; ++v) {
      volume.int16_hu.push_back(padding[k] ? std::int16_t{-1024} : values[k]);
      volume.padding_mask.push_back(padding[k] ? 1 : 0);
    }
  return volume;
}

}  // namespace

TEST_SUITE("segment") {

TEST_CASE("slice gaps filled by interpolation") {
  // Slices 2-3 lie between data at 0 and 300 HU; slice 0 and slice 6 are at the ends.
  const HuVolume volume = slices_volume({0, 0, 0, 0, 300, 300, 0}, {true, false, true, true, false, false, true});
  CanonicalCt ct = make_canonical_ct(volume);
  REQUIRE(ct.hu_storage.empty());  // A view of the input, which must stay unchanged.

  const std::vector<std::int64_t> filled = fill_slice_gaps(ct);
  CHECK(filled == std::vector<std::int64_t>{2, 3});
  CHECK(ct.hu[2 * kSliceVoxels] == 100);
  CHECK(ct.hu[3 * kSliceVoxels + 5] == 200);
  CHECK(ct.padding[2 * kSliceVoxels] == 0);
  CHECK(ct.padding[0] == 1);  // The end slices stay padding.
  CHECK(ct.hu[6 * kSliceVoxels] == -1024);
  CHECK(ct.padding[6 * kSliceVoxels] == 1);
  CHECK(volume.int16_hu[2 * kSliceVoxels] == -1024);
  CHECK(volume.padding_mask[2 * kSliceVoxels] == 1);
}

TEST_CASE("slice gap keeps padding of either side") {
  // The reconstruction circle: voxel 0 is padding in the slice below the gap only.
  HuVolume volume = slices_volume({-800, 0, -600}, {false, true, false});
  volume.padding_mask[0] = 1;
  CanonicalCt ct = make_canonical_ct(volume);
  CHECK(fill_slice_gaps(ct) == std::vector<std::int64_t>{1});
  CHECK(ct.padding[kSliceVoxels] == 1);
  CHECK(ct.padding[kSliceVoxels + 1] == 0);
  CHECK(ct.hu[kSliceVoxels + 1] == -700);
}

TEST_CASE("volume without gaps unchanged") {
  const HuVolume volume = slices_volume({-800, -700, -600}, {false, false, false});
  CanonicalCt ct = make_canonical_ct(volume);
  CHECK(fill_slice_gaps(ct).empty());
  CHECK(ct.hu_storage.empty());
}

TEST_CASE("gap slices cleared in a box") {
  // A 2 x 2 x 3 box starting at canonical slice 4; slices 5 and 9 are gaps, 9 lies outside the box.
  IndexBox box;
  box.begin = {1, 1, 4};
  box.end = {3, 3, 7};
  std::vector<std::uint8_t> part(12, 1);
  clear_slices(part, box, {5, 9});
  CHECK(part == std::vector<std::uint8_t>{1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1});
}

}
