#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "parallel/parallel_for.h"
#include "quantify/quantify.h"

using namespace lunglens;

namespace {

constexpr std::uint8_t kRight = static_cast<std::uint8_t>(LungLabel::right_lung);
constexpr std::uint8_t kLeft = static_cast<std::uint8_t>(LungLabel::left_lung);
constexpr std::uint8_t kAirway = static_cast<std::uint8_t>(LungLabel::airway);
constexpr std::uint8_t kGgo = static_cast<std::uint8_t>(LesionLabel::ground_glass);
constexpr std::uint8_t kConsolidation = static_cast<std::uint8_t>(LesionLabel::consolidation);

struct Scene {
  HuVolume volume;
  LungSegmentation segmentation;
};

// Fills a scene voxel by voxel from its LPS position: fill(p, hu, lung, lesion).
Scene make_scene(const Geometry& geometry,
                 const std::function<void(const Vec3&, std::int16_t&, std::uint8_t&, std::uint8_t&)>& fill) {
  Scene scene;
  scene.volume.geometry = geometry;
  scene.segmentation.geometry = geometry;
  const auto voxels = static_cast<std::size_t>(geometry.voxel_count());
  scene.volume.int16_hu.assign(voxels, -1000);
  scene.segmentation.lungs.assign(voxels, 0);
  scene.segmentation.lesions.assign(voxels, 0);
  scene.segmentation.lungs_found = true;
  for (std::int64_t k = 0; k < geometry.size[2]; ++k)
    for (std::int64_t j = 0; j < geometry.size[1]; ++j)
      for (std::int64_t i = 0; i < geometry.size[0]; ++i) {
        const auto index = static_cast<std::size_t>(geometry.linear_index(i, j, k));
        const Vec3 p = geometry.index_to_lps({double(i), double(j), double(k)});
        fill(p, scene.volume.int16_hu[index], scene.segmentation.lungs[index],
             scene.segmentation.lesions[index]);
      }
  return scene;
}

// 10 x 10 x 9 voxels of 2 x 2 x 2.5 mm (0.01 mL). Right lung x < 10 mm, left
// lung x >= 10 mm, each 450 voxels = 4.5 mL at -850 HU. GGO (-600 HU) fills
// the upper third of the right lung where y < 10 mm: 75 voxels. Consolidation
// (-50 HU) fills the lower third of the left lung where y < 4 mm: 30 voxels.
Geometry box_geometry() {
  Geometry geometry;
  geometry.size = {10, 10, 9};
  geometry.spacing_mm = {2.0, 2.0, 2.5};
  return geometry;
}

void fill_box(const Vec3& p, std::int16_t& hu, std::uint8_t& lung, std::uint8_t& lesion) {
  const bool right = p[0] < 10.0;
  lung = right ? kRight : kLeft;
  hu = -850;
  if (right && p[2] >= 15.0 && p[1] < 10.0) {
    lesion = kGgo;
    hu = -600;
  }
  if (!right && p[2] < 7.5 && p[1] < 4.0) {
    lesion = kConsolidation;
    hu = -50;
  }
}

Geometry reversed_slices(Geometry geometry) {
  geometry.origin_mm[2] += (geometry.size[2] - 1) * geometry.spacing_mm[2];
  geometry.axes[2] = {0.0, 0.0, -1.0};
  return geometry;
}

Geometry prone(Geometry geometry) {
  geometry.origin_mm[0] += (geometry.size[0] - 1) * geometry.spacing_mm[0];
  geometry.origin_mm[1] += (geometry.size[1] - 1) * geometry.spacing_mm[1];
  geometry.axes[0] = {-1.0, 0.0, 0.0};
  geometry.axes[1] = {0.0, -1.0, 0.0};
  return geometry;
}

bool has_code(const Diagnostics& diagnostics, DiagnosticCode code, Severity severity) {
  for (const Diagnostic& diagnostic : diagnostics)
    if (diagnostic.code == code && diagnostic.severity == severity) return true;
  return false;
}

}  // namespace

TEST_SUITE("quantify") {

TEST_CASE("quantify box lungs volumes") {
  const Scene scene = make_scene(box_geometry(), fill_box);
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);

  CHECK(q.voxel_volume_mm3 == doctest::Approx(10.0));
  CHECK(q.right.region.lung_voxel_count == 450);
  CHECK(q.right.region.lung_volume_ml == doctest::Approx(4.5));
  CHECK(q.left.region.lung_volume_ml == doctest::Approx(4.5));
  CHECK(q.both.region.lung_volume_ml == doctest::Approx(9.0));

  CHECK(q.right.region.ground_glass.voxel_count == 75);
  CHECK(q.right.region.ground_glass.volume_ml == doctest::Approx(0.75));
  CHECK(*q.right.region.ground_glass.percent_of_lung == 100.0 * 75 / 450);
  CHECK(*q.right.region.consolidation.percent_of_lung == 0.0);
  CHECK(q.left.region.consolidation.voxel_count == 30);
  CHECK(*q.left.region.involvement.percent_of_lung == 100.0 * 30 / 450);
  CHECK(q.both.region.involvement.voxel_count == 105);
  CHECK(*q.both.region.involvement.percent_of_lung == 100.0 * 105 / 900);
  CHECK(q.airway_voxel_count == 0);
}

TEST_CASE("quantify box lungs zones and score") {
  const Scene scene = make_scene(box_geometry(), fill_box);
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);

  REQUIRE(q.right.z_extent);
  CHECK(q.right.z_extent->z_min_mm == 0.0);
  CHECK(q.right.z_extent->z_max_mm == 20.0);

  const ZoneMeasures& right_upper = q.right.zones[static_cast<int>(LungZone::upper)];
  CHECK(right_upper.region.lung_voxel_count == 150);
  CHECK(right_upper.region.ground_glass.voxel_count == 75);
  CHECK(*right_upper.region.involvement.percent_of_lung == 50.0);
  CHECK(right_upper.score == 3);
  CHECK(right_upper.z_lower_mm == doctest::Approx(40.0 / 3.0));
  CHECK(right_upper.z_upper_mm == 20.0);
  CHECK(q.right.zones[static_cast<int>(LungZone::middle)].score == 0);
  CHECK(q.right.zones[static_cast<int>(LungZone::lower)].score == 0);

  const ZoneMeasures& left_lower = q.left.zones[static_cast<int>(LungZone::lower)];
  CHECK(left_lower.region.lung_voxel_count == 150);
  CHECK(*left_lower.region.involvement.percent_of_lung == 20.0);
  CHECK(left_lower.score == 2);
  CHECK(q.both.severity_score == 5);
  CHECK(q.both.scored_zones == 6);
  CHECK_FALSE(has_code(q.diagnostics, DiagnosticCode::limited_coverage, Severity::warning));
}

TEST_CASE("quantify box lungs density") {
  const Scene scene = make_scene(box_geometry(), fill_box);
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);

  CHECK(*q.right.density.mean_hu == doctest::Approx((375.0 * -850 + 75.0 * -600) / 450));
  CHECK(*q.left.density.mean_hu == doctest::Approx((420.0 * -850 + 30.0 * -50) / 450));
  CHECK(*q.both.density.mean_hu ==
        doctest::Approx((795.0 * -850 + 75.0 * -600 + 30.0 * -50) / 900));

  const auto band = [](const DensityMeasures& density, DensityBand b) {
    return density.bands[static_cast<int>(b)].voxel_count;
  };
  CHECK(band(q.right.density, DensityBand::well_aerated) == 375);
  CHECK(band(q.right.density, DensityBand::poorly_aerated) == 75);
  CHECK(band(q.left.density, DensityBand::non_aerated) == 30);
  CHECK(band(q.both.density, DensityBand::emphysema) == 0);
  CHECK(*q.left.density.bands[static_cast<int>(DensityBand::non_aerated)].percent ==
        100.0 * 30 / 450);

  // -850 HU is bin 18 ([-850, -840)), -600 HU bin 43, -50 HU bin 98.
  CHECK(q.right.density.histogram.counts[18] == 375);
  CHECK(q.right.density.histogram.counts[43] == 75);
  CHECK(q.left.density.histogram.counts[98] == 30);
  CHECK(q.right.density.histogram.total() == 450);
  CHECK(q.both.density.histogram.total() == 900);
  CHECK(q.both.density.density_voxel_count == 900);
}

TEST_CASE("quantify zones for any slice order") {
  // 10 slices: thirds of the 22.5 mm height at 7.5 and 15 mm, so the zones
  // hold 3, 3 and 4 slices; GGO on the slice at z = 15 mm counts as upper.
  Geometry base;
  base.size = {4, 4, 10};
  base.spacing_mm = {1.0, 1.0, 2.5};
  base.origin_mm = {-2.0, 30.0, -100.0};
  const auto fill = [](const Vec3& p, std::int16_t& hu, std::uint8_t& lung, std::uint8_t& lesion) {
    lung = kRight;
    hu = -800;
    if (std::abs(p[2] - (-85.0)) < 1e-9 && p[0] < 0.0) lesion = kGgo;
  };

  for (const Geometry& geometry : {base, reversed_slices(base), prone(base)}) {
    CAPTURE(geometry.axes[2][2]);
    CAPTURE(geometry.axes[0][0]);
    Scene scene = make_scene(geometry, fill);
    const LungQuantification q = quantify(scene.volume, scene.segmentation);
    REQUIRE(q.ok);
    CHECK(q.right.zones[static_cast<int>(LungZone::lower)].region.lung_voxel_count == 48);
    CHECK(q.right.zones[static_cast<int>(LungZone::middle)].region.lung_voxel_count == 48);
    CHECK(q.right.zones[static_cast<int>(LungZone::upper)].region.lung_voxel_count == 64);
    CHECK(q.right.zones[static_cast<int>(LungZone::upper)].region.ground_glass.voxel_count == 8);
    CHECK(*q.right.zones[static_cast<int>(LungZone::upper)].region.involvement.percent_of_lung == 12.5);
    CHECK(q.right.zones[static_cast<int>(LungZone::upper)].score == 2);
    CHECK(q.both.severity_score == 2);
    CHECK(q.right.z_extent->z_min_mm == doctest::Approx(-100.0));
    CHECK(q.right.z_extent->z_max_mm == doctest::Approx(-77.5));
  }
}

TEST_CASE("quantify empty lung") {
  Scene scene = make_scene(box_geometry(), fill_box);
  for (auto& label : scene.segmentation.lungs)
    if (label == kLeft) label = 0;
  for (auto& lesion : scene.segmentation.lesions) lesion = lesion == kConsolidation ? 0 : lesion;
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK_FALSE(q.left.z_extent);
  CHECK(q.left.region.lung_volume_ml == 0.0);
  CHECK_FALSE(q.left.region.involvement.percent_of_lung);
  CHECK_FALSE(q.left.density.mean_hu);
  CHECK_FALSE(q.left.zones[0].score);
  CHECK(q.both.scored_zones == 3);
  CHECK(has_code(q.diagnostics, DiagnosticCode::limited_coverage, Severity::warning));
  CHECK(has_code(q.diagnostics, DiagnosticCode::invalid_argument, Severity::warning));
  CHECK(q.both.region.lung_volume_ml == doctest::Approx(4.5));
}

TEST_CASE("quantify excludes padding from density") {
  Scene scene = make_scene(box_geometry(), fill_box);
  scene.volume.padding_mask.assign(scene.volume.int16_hu.size(), 0);
  // Pad the first row of slice 0 (10 voxels: 5 right, 5 left) at -1024 HU.
  for (std::int64_t i = 0; i < 10; ++i) {
    scene.volume.padding_mask[i] = 1;
    scene.volume.int16_hu[i] = kPaddingHu;
  }
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK(q.right.region.lung_voxel_count == 450);
  CHECK(q.right.density.density_voxel_count == 445);
  CHECK(q.right.density.excluded_voxel_count == 5);
  CHECK(q.right.density.histogram.total() == 445);
  CHECK(q.right.density.bands[static_cast<int>(DensityBand::emphysema)].voxel_count == 0);
  CHECK(*q.right.density.mean_hu == doctest::Approx((370.0 * -850 + 75.0 * -600) / 445));
  CHECK(has_code(q.diagnostics, DiagnosticCode::pixel_padding, Severity::warning));
}

TEST_CASE("quantify float32 volume") {
  const Scene scene = make_scene(box_geometry(), fill_box);
  HuVolume volume = scene.volume;
  volume.float32_hu = volume.to_float32();
  volume.voxel_type = VoxelType::float32;
  volume.int16_hu.clear();
  volume.float32_hu[0] = std::nanf("");  // A right lung voxel.
  volume.float32_hu[9] = -955.5f;        // A left lung voxel, now emphysema.
  const LungQuantification q = quantify(volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK(q.right.density.excluded_voxel_count == 1);
  CHECK(q.right.density.density_voxel_count == 449);
  CHECK(q.left.density.bands[static_cast<int>(DensityBand::emphysema)].voxel_count == 1);
  CHECK(q.left.density.histogram.counts[7] == 1);
}

TEST_CASE("quantify independent of threads") {
  Geometry geometry;
  geometry.size = {16, 16, 24};
  geometry.spacing_mm = {0.7, 0.7, 1.25};
  const Scene base = make_scene(geometry, fill_box);
  HuVolume volume = base.volume;
  volume.voxel_type = VoxelType::float32;
  volume.float32_hu.resize(volume.int16_hu.size());
  for (std::size_t v = 0; v < volume.float32_hu.size(); ++v)
    volume.float32_hu[v] = -850.0f + 0.37f * static_cast<float>(v % 97);
  volume.int16_hu.clear();

  set_thread_count(1);
  const LungQuantification single = quantify(volume, base.segmentation);
  set_thread_count(0);
  const LungQuantification multi = quantify(volume, base.segmentation);
  REQUIRE(single.ok);
  REQUIRE(multi.ok);
  CHECK(*single.both.density.mean_hu == *multi.both.density.mean_hu);
  CHECK(*single.right.density.mean_hu == *multi.right.density.mean_hu);
  CHECK(single.both.severity_score == multi.both.severity_score);
}

TEST_CASE("quantify sheared voxel volume") {
  Geometry geometry = box_geometry();
  const double tilt = 15.0 * 3.14159265358979323846 / 180.0;
  geometry.axes[2] = {0.0, std::sin(tilt), std::cos(tilt)};
  const Scene scene = make_scene(geometry, [](const Vec3&, std::int16_t& hu, std::uint8_t& lung, std::uint8_t&) {
    lung = kRight;
    hu = -850;
  });
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK(q.right.region.lung_volume_ml == doctest::Approx(900 * 10.0 * std::cos(tilt) / 1000.0));
  CHECK(q.right.z_extent->z_max_mm == doctest::Approx(20.0 * std::cos(tilt)));
}

TEST_CASE("quantify counts airway apart") {
  Scene scene = make_scene(box_geometry(), fill_box);
  scene.segmentation.lungs[0] = kAirway;
  scene.segmentation.lesions[0] = 0;
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK(q.airway_voxel_count == 1);
  CHECK(q.airway_volume_ml == doctest::Approx(0.01));
  CHECK(q.right.region.lung_voxel_count == 449);
}

TEST_CASE("quantify ignores lesions outside lungs") {
  Scene scene = make_scene(box_geometry(), fill_box);
  scene.segmentation.lungs[0] = 0;
  scene.segmentation.lesions[0] = kGgo;
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK(q.both.region.ground_glass.voxel_count == 75);
  CHECK(has_code(q.diagnostics, DiagnosticCode::invalid_argument, Severity::warning));
}

TEST_CASE("quantify without lesion labels") {
  Scene scene = make_scene(box_geometry(), fill_box);
  scene.segmentation.lesions.clear();
  const LungQuantification q = quantify(scene.volume, scene.segmentation);
  REQUIRE(q.ok);
  CHECK(q.both.region.involvement.voxel_count == 0);
  CHECK(q.both.severity_score == 0);
  CHECK(has_code(q.diagnostics, DiagnosticCode::invalid_argument, Severity::info));
}

TEST_CASE("quantify rejects bad input") {
  const Scene good = make_scene(box_geometry(), fill_box);

  SUBCASE("grid size") {
    Scene scene = good;
    scene.segmentation.geometry.size[2] = 8;
    const LungQuantification q = quantify(scene.volume, scene.segmentation);
    CHECK_FALSE(q.ok);
    REQUIRE(q.diagnostics.size() == 1);
    CHECK(q.diagnostics[0].message.find("10 x 10 x 8") != std::string::npos);
  }
  SUBCASE("grid origin") {
    Scene scene = good;
    scene.segmentation.geometry.origin_mm[0] = 1.0;
    CHECK_FALSE(quantify(scene.volume, scene.segmentation).ok);
  }
  SUBCASE("short lung buffer") {
    Scene scene = good;
    scene.segmentation.lungs.pop_back();
    CHECK_FALSE(quantify(scene.volume, scene.segmentation).ok);
  }
  SUBCASE("short HU buffer") {
    Scene scene = good;
    scene.volume.int16_hu.resize(10);
    CHECK_FALSE(quantify(scene.volume, scene.segmentation).ok);
  }
  SUBCASE("short padding mask") {
    Scene scene = good;
    scene.volume.padding_mask.assign(5, 0);
    CHECK_FALSE(quantify(scene.volume, scene.segmentation).ok);
  }
  SUBCASE("unknown lung label") {
    Scene scene = good;
    scene.segmentation.lungs[17] = 7;
    const LungQuantification q = quantify(scene.volume, scene.segmentation);
    CHECK_FALSE(q.ok);
    REQUIRE_FALSE(q.diagnostics.empty());
    CHECK(q.diagnostics[0].message.find("lung label 7") != std::string::npos);
  }
  SUBCASE("unknown lesion label") {
    Scene scene = good;
    scene.segmentation.lesions[17] = 3;
    CHECK_FALSE(quantify(scene.volume, scene.segmentation).ok);
  }
  SUBCASE("no lung found") {
    Scene scene = good;
    scene.segmentation.lungs_found = false;
    const LungQuantification q = quantify(scene.volume, scene.segmentation);
    CHECK_FALSE(q.ok);
    CHECK(has_code(q.diagnostics, DiagnosticCode::invalid_argument, Severity::error));
  }
  SUBCASE("empty grid") {
    Scene scene = good;
    scene.volume.geometry.size = {0, 10, 9};
    CHECK_FALSE(quantify(scene.volume, scene.segmentation).ok);
  }
}

}  // TEST_SUITE
