#include <doctest/doctest.h>

#include <random>

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

TEST_CASE("block counts with partial blocks") {
  std::mt19937 random(7);
  for (const auto& [size, factors] : {std::pair{std::array<std::int64_t, 3>{7, 5, 4}, BlockFactors{3, 2, 3}},
                                      std::pair{std::array<std::int64_t, 3>{9, 4, 3}, BlockFactors{4, 3, 1}},
                                      std::pair{std::array<std::int64_t, 3>{6, 6, 6}, BlockFactors{2, 2, 2}},
                                      std::pair{std::array<std::int64_t, 3>{23, 5, 3}, BlockFactors{7, 2, 2}},
                                      // More rows per block than 16-bit column counts hold.
                                      std::pair{std::array<std::int64_t, 3>{3, 256, 257}, BlockFactors{2, 256, 257}}}) {
    Geometry fine;
    fine.size = size;
    const Geometry coarse = block_geometry(fine, factors);
    Mask mask(static_cast<std::size_t>(fine.voxel_count()));
    for (std::uint8_t& value : mask) value = random() % 3;  // Labels 1 and 2 both count as set.

    // Reference: every fine voxel adds to the set and total counts of its block.
    std::vector<int> set(static_cast<std::size_t>(coarse.voxel_count()), 0), total(set.size(), 0);
    for (std::int64_t k = 0; k < size[2]; ++k)
      for (std::int64_t j = 0; j < size[1]; ++j)
        for (std::int64_t i = 0; i < size[0]; ++i) {
          const std::int64_t block = coarse.linear_index(i / factors[0], j / factors[1], k / factors[2]);
          set[block] += mask[fine.linear_index(i, j, k)] != 0;
          ++total[block];
        }
    Mask any(set.size()), majority(set.size()), all(set.size());
    for (std::size_t b = 0; b < set.size(); ++b) {
      any[b] = set[b] > 0;
      majority[b] = 2 * set[b] >= total[b];
      all[b] = set[b] == total[b];
    }
    CHECK(downsample(mask, fine, factors, BlockRule::any) == any);
    CHECK(downsample(mask, fine, factors, BlockRule::majority) == majority);
    CHECK(downsample(mask, fine, factors, BlockRule::all) == all);

    const Mask blocks = upsample(majority, fine, factors);
    Mask expected(mask.size());
    for (std::size_t v = 0; v < mask.size(); ++v) expected[v] = blocks[v] ? mask[v] : 0;
    Mask cleared = mask;
    clear_outside_blocks(cleared, fine, majority, factors);
    CHECK(cleared == expected);
  }
}

}  // TEST_SUITE
