#include <doctest/doctest.h>

#include "image/resample.h"

using namespace lunglens;

TEST_SUITE("image") {

TEST_CASE("block factors and geometry") {
  Geometry fine;
  fine.size = {5, 4, 3};
  fine.spacing_mm = {0.7, 0.7, 5.0};
  const BlockFactors factors = block_factors_for(fine, 2.0);
  CHECK(factors == BlockFactors{2, 2, 1});

  const Geometry coarse = block_geometry(fine, factors);
  CHECK(coarse.size == std::array<std::int64_t, 3>{3, 2, 3});
  CHECK(coarse.spacing_mm[0] == doctest::Approx(1.4));
  CHECK(coarse.origin_mm[0] == doctest::Approx(0.35));  // Centre of voxels 0 and 1.
  CHECK(coarse.origin_mm[2] == doctest::Approx(0.0));
}

TEST_CASE("downsample rules and upsample") {
  Geometry fine;
  fine.size = {4, 2, 1};
  const Mask mask{1, 0, 1, 1,
                  0, 0, 1, 1};
  const BlockFactors factors{2, 2, 1};
  CHECK(downsample(mask, fine, factors, BlockRule::any) == Mask{1, 1});
  CHECK(downsample(mask, fine, factors, BlockRule::majority) == Mask{0, 1});
  CHECK(downsample(mask, fine, factors, BlockRule::all) == Mask{0, 1});
  CHECK(upsample(Mask{0, 1}, fine, factors) == Mask{0, 0, 1, 1, 0, 0, 1, 1});

  // A 3-voxel row keeps its partial last block.
  Geometry odd;
  odd.size = {3, 1, 1};
  CHECK(downsample(Mask{0, 0, 1}, odd, {2, 1, 1}, BlockRule::all) == Mask{0, 1});
  CHECK(upsample(Mask{1, 0}, odd, {2, 1, 1}) == Mask{1, 1, 0});
}

}  // TEST_SUITE
