#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "phantom/chest_phantom.h"
#include "segment/neural_input.h"
#include "segment/neural_output.h"
#include "support/test_grid.h"

using namespace lunglens;

namespace {

constexpr std::int64_t kSlices = 8;
constexpr double kSpacingMm = 0.7;   // 512 x 0.7 mm = 358.4 mm field of view.
constexpr double kSliceMm = 2.5;

struct Disc {
  double x_mm;  // Centre relative to the slice centre, LPS x (patient left is +x).
  double y_mm;
  double radius_mm;
};

// Returns a probability map on the model grid of every slice, 1 inside the
// discs and 0 outside, sampled at model pixel centres.
std::vector<float> disc_maps(const Geometry& geometry, const std::vector<Disc>& discs) {
  const NeuralSliceMapping mapping = neural_slice_mapping(geometry);
  std::vector<float> maps(static_cast<std::size_t>(geometry.size[2] * kNeuralGridPixels), 0.0f);
  for (std::int64_t k = 0; k < geometry.size[2]; ++k)
    for (std::int64_t v = 0; v < kNeuralGridSize; ++v)
      for (std::int64_t u = 0; u < kNeuralGridSize; ++u) {
        const double x = (mapping.slice_i(static_cast<double>(u)) - mapping.center_i) * kSpacingMm;
        const double y = (mapping.slice_j(static_cast<double>(v)) - mapping.center_j) * kSpacingMm;
        for (const Disc& disc : discs)
          if (std::hypot(x - disc.x_mm, y - disc.y_mm) < disc.radius_mm)
            maps[k * kNeuralGridPixels + v * kNeuralGridSize + u] = 1.0f;
      }
  return maps;
}

HuVolume uniform_volume(std::int16_t hu) {
  HuVolume volume;
  volume.geometry = test::grid(512, 512, kSlices, {kSpacingMm, kSpacingMm, kSliceMm});
  volume.int16_hu.assign(static_cast<std::size_t>(volume.voxel_count()), hu);
  return volume;
}

double label_ml(const std::vector<std::uint8_t>& labels, std::uint8_t value, const Geometry& geometry) {
  return static_cast<double>(std::count(labels.begin(), labels.end(), value)) * geometry.voxel_volume_mm3() / 1000.0;
}

double cylinder_ml(double radius_mm) { return std::numbers::pi * radius_mm * radius_mm * kSliceMm * kSlices / 1000.0; }

constexpr auto kRight = static_cast<std::uint8_t>(LungLabel::right_lung);
constexpr auto kLeft = static_cast<std::uint8_t>(LungLabel::left_lung);
constexpr auto kGgo = static_cast<std::uint8_t>(LesionLabel::ground_glass);
constexpr auto kConsolidation = static_cast<std::uint8_t>(LesionLabel::consolidation);

}  // namespace

TEST_SUITE("neural output") {

TEST_CASE("bilinear grid sampling") {
  std::vector<float> grid(kNeuralGridPixels, 0.0f);
  grid[0] = 1.0f;                    // (u 0, v 0)
  grid[1] = 3.0f;                    // (u 1, v 0)
  grid[kNeuralGridSize] = 5.0f;      // (u 0, v 1)
  grid[kNeuralGridSize + 1] = 7.0f;  // (u 1, v 1)
  CHECK(sample_grid_bilinear(grid, 0.0, 0.0) == doctest::Approx(1.0));
  CHECK(sample_grid_bilinear(grid, 0.5, 0.0) == doctest::Approx(2.0));
  CHECK(sample_grid_bilinear(grid, 0.5, 0.5) == doctest::Approx(4.0));
  CHECK(sample_grid_bilinear(grid, -3.0, -0.4) == doctest::Approx(1.0));
  CHECK(sample_grid_bilinear(grid, 400.0, 400.0) == doctest::Approx(0.0));
}

TEST_CASE("two discs give both lungs") {
  HuVolume volume = uniform_volume(-850);
  const std::vector<float> lung = disc_maps(volume.geometry, {{-80.0, 0.0, 50.0}, {80.0, 0.0, 45.0}});

  // Infection: a GGO disc in the right lung and a consolidation disc in the left;
  // a third disc outside the lungs must be dropped.
  const std::vector<float> lesion =
      disc_maps(volume.geometry, {{-80.0, 10.0, 20.0}, {80.0, -10.0, 15.0}, {0.0, 120.0, 20.0}});
  for (std::int64_t k = 0; k < kSlices; ++k)
    for (std::int64_t j = 0; j < 512; ++j)
      for (std::int64_t i = 0; i < 512; ++i) {
        const double x = (static_cast<double>(i) - 255.5) * kSpacingMm;
        const double y = (static_cast<double>(j) - 255.5) * kSpacingMm;
        std::int16_t& hu = volume.int16_hu[volume.geometry.linear_index(i, j, k)];
        if (std::hypot(x + 80.0, y - 10.0) < 20.0) hu = -500;
        if (std::hypot(x - 80.0, y + 10.0) < 15.0) hu = 20;
      }

  const LungSegmentation segmentation = neural_segmentation(volume, lung, lesion);
  REQUIRE(segmentation.lungs_found);
  CHECK(segmentation.diagnostics.empty());

  // Bilinear edges cost well under 1 % at these radii (0.7 mm voxels, 1.4 mm grid).
  CHECK(label_ml(segmentation.lungs, kRight, volume.geometry) == doctest::Approx(cylinder_ml(50.0)).epsilon(0.01));
  CHECK(label_ml(segmentation.lungs, kLeft, volume.geometry) == doctest::Approx(cylinder_ml(45.0)).epsilon(0.01));
  CHECK(label_ml(segmentation.lesions, kGgo, volume.geometry) == doctest::Approx(cylinder_ml(20.0)).epsilon(0.02));
  CHECK(label_ml(segmentation.lesions, kConsolidation, volume.geometry) ==
        doctest::Approx(cylinder_ml(15.0)).epsilon(0.02));

  // The patient's right lung lies at -x, so at the low i side of this identity-axis grid.
  CHECK(segmentation.lungs[volume.geometry.linear_index(256 - 114, 256, 3)] == kRight);
  CHECK(segmentation.lungs[volume.geometry.linear_index(256 + 114, 256, 3)] == kLeft);
}

TEST_CASE("joined lungs split at midline") {
  const HuVolume volume = uniform_volume(-850);
  const std::vector<float> lung = disc_maps(volume.geometry, {{-40.0, 0.0, 60.0}, {40.0, 0.0, 60.0}});
  const std::vector<float> lesion(lung.size(), 0.0f);
  const LungSegmentation segmentation = neural_segmentation(volume, lung, lesion);
  REQUIRE(segmentation.lungs_found);
  const double right_ml = label_ml(segmentation.lungs, kRight, volume.geometry);
  const double left_ml = label_ml(segmentation.lungs, kLeft, volume.geometry);
  CHECK(right_ml > 0.0);
  CHECK(right_ml == doctest::Approx(left_ml).epsilon(0.01));
  CHECK(label_ml(segmentation.lesions, kGgo, volume.geometry) == 0.0);
}

TEST_CASE("small blob is no lung") {
  const HuVolume volume = uniform_volume(-850);
  // 20 mm radius: 1257 mm2, under the 1500 mm2 minimum cross-section.
  const std::vector<float> lung = disc_maps(volume.geometry, {{0.0, 0.0, 20.0}});
  const LungSegmentation segmentation = neural_segmentation(volume, lung, lung);
  CHECK_FALSE(segmentation.lungs_found);
  REQUIRE(segmentation.diagnostics.size() == 1);
  CHECK(segmentation.diagnostics[0].code == DiagnosticCode::no_lung_found);
  CHECK(std::count(segmentation.lungs.begin(), segmentation.lungs.end(), 0) ==
        static_cast<std::ptrdiff_t>(volume.voxel_count()));
}

TEST_CASE("soft tissue and gas are no lung") {
  // The same two lung-sized discs, on soft tissue (40 HU) and on gas (-1000 HU).
  for (const std::int16_t hu : {std::int16_t{40}, std::int16_t{-1000}}) {
    CAPTURE(hu);
    const HuVolume volume = uniform_volume(hu);
    const std::vector<float> lung = disc_maps(volume.geometry, {{-80.0, 0.0, 50.0}, {80.0, 0.0, 45.0}});
    const LungSegmentation segmentation = neural_segmentation(volume, lung, lung);
    CHECK_FALSE(segmentation.lungs_found);
    REQUIRE(segmentation.diagnostics.size() == 1);
    CHECK(segmentation.diagnostics[0].code == DiagnosticCode::no_lung_found);
  }
}

TEST_CASE("consolidated lung is kept") {
  // Each disc is 69 % consolidation (20 HU) and 31 % aerated lung, above the 10 % aerated minimum.
  HuVolume volume = uniform_volume(-850);
  for (std::int64_t k = 0; k < kSlices; ++k)
    for (std::int64_t j = 0; j < 512; ++j)
      for (std::int64_t i = 0; i < 512; ++i)
        if ((static_cast<double>(j) - 255.5) * kSpacingMm > -0.3 * 50.0) volume.int16_hu[volume.geometry.linear_index(i, j, k)] = 20;
  const std::vector<float> lung = disc_maps(volume.geometry, {{-80.0, 0.0, 50.0}, {80.0, 0.0, 50.0}});
  const LungSegmentation segmentation = neural_segmentation(volume, lung, lung);
  REQUIRE(segmentation.lungs_found);
  CHECK(label_ml(segmentation.lungs, kRight, volume.geometry) == doctest::Approx(cylinder_ml(50.0)).epsilon(0.01));
  CHECK(label_ml(segmentation.lesions, kConsolidation, volume.geometry) > 0.6 * cylinder_ml(50.0));
}

TEST_CASE("one-sided lung warns") {
  const HuVolume volume = uniform_volume(-850);
  const std::vector<float> lung = disc_maps(volume.geometry, {{70.0, 0.0, 40.0}});
  const LungSegmentation segmentation = neural_segmentation(volume, lung, std::vector<float>(lung.size(), 0.0f));
  REQUIRE(segmentation.lungs_found);
  REQUIRE(segmentation.diagnostics.size() == 1);
  CHECK(segmentation.diagnostics[0].code == DiagnosticCode::single_lung);
  CHECK(label_ml(segmentation.lungs, kRight, volume.geometry) == 0.0);
}

TEST_CASE("wrong map length rejected") {
  const HuVolume volume = uniform_volume(-850);
  const std::vector<float> short_map(static_cast<std::size_t>(kNeuralGridPixels), 1.0f);
  const std::vector<float> full_map(static_cast<std::size_t>(kSlices * kNeuralGridPixels), 1.0f);
  const LungSegmentation segmentation = neural_segmentation(volume, short_map, full_map);
  CHECK_FALSE(segmentation.lungs_found);
  REQUIRE(segmentation.diagnostics.size() == 1);
  CHECK(segmentation.diagnostics[0].code == DiagnosticCode::invalid_argument);
  CHECK(segmentation.lungs.empty());
}

TEST_CASE("phantom truth maps round trip") {
  PhantomOptions options;
  options.z_extent_mm = 60.0;
  const Phantom phantom = generate_chest_phantom(options);
  const Geometry& geometry = phantom.volume.geometry;
  REQUIRE(geometry.size[0] == kNeuralGridSize);

  // The 256 x 256 phantom at 1.5 mm maps pixel for pixel onto the model grid,
  // so the truth labels are exact probability maps.
  std::vector<float> lung(static_cast<std::size_t>(geometry.voxel_count()), 0.0f);
  std::vector<float> lesion(lung.size(), 0.0f);
  for (std::size_t v = 0; v < lung.size(); ++v) {
    const auto label = static_cast<PhantomLabel>(phantom.labels[v]);
    const bool is_lesion = label == PhantomLabel::ggo_right || label == PhantomLabel::ggo_left ||
                           label == PhantomLabel::consolidation_right || label == PhantomLabel::consolidation_left;
    lung[v] = is_lesion || label == PhantomLabel::right_lung || label == PhantomLabel::left_lung ? 1.0f : 0.0f;
    lesion[v] = is_lesion ? 1.0f : 0.0f;
  }

  const LungSegmentation segmentation = neural_segmentation(phantom.volume, lung, lesion);
  REQUIRE(segmentation.lungs_found);
  CHECK(label_ml(segmentation.lungs, kRight, geometry) == doctest::Approx(phantom.truth.right_lung_ml).epsilon(0.001));
  CHECK(label_ml(segmentation.lungs, kLeft, geometry) == doctest::Approx(phantom.truth.left_lung_ml).epsilon(0.001));

  // Lesion voxels are labelled by HU, so phantom noise moves a few across the
  // GGO/consolidation boundary; the total stays exact unless noise leaves the ranges.
  const double lesion_ml = label_ml(segmentation.lesions, kGgo, geometry) +
                           label_ml(segmentation.lesions, kConsolidation, geometry);
  const double truth_lesion_ml = phantom.truth.ggo_right_ml + phantom.truth.ggo_left_ml +
                                 phantom.truth.consolidation_right_ml + phantom.truth.consolidation_left_ml;
  REQUIRE(truth_lesion_ml > 1.0);
  CHECK(lesion_ml == doctest::Approx(truth_lesion_ml).epsilon(0.03));
}

}  // TEST_SUITE
