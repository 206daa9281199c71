#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "parallel/parallel_for.h"
#include "phantom/chest_phantom.h"
#include "support/phantom_truth.h"
#include "volume/reorient.h"

using namespace lunglens;

namespace {

std::uint8_t code(PhantomLabel label) { return static_cast<std::uint8_t>(label); }

// The default phantom (256 x 256 x 120, 1.5 x 1.5 x 2.5 mm, HFS, 15 HU
// noise), generated once for the tests that only read it.
const Phantom& default_phantom() {
  static const Phantom phantom = generate_chest_phantom(PhantomOptions{});
  return phantom;
}

// Returns the LPS centroid (mm) of the voxels carrying `label`.
Vec3 centroid_lps(const Phantom& phantom, PhantomLabel label) {
  const Geometry& g = phantom.volume.geometry;
  Vec3 sum{0.0, 0.0, 0.0};
  double count = 0.0;
  for (std::int64_t k = 0; k < g.size[2]; ++k)
    for (std::int64_t j = 0; j < g.size[1]; ++j)
      for (std::int64_t i = 0; i < g.size[0]; ++i) {
        if (phantom.labels[g.linear_index(i, j, k)] != code(label)) continue;
        sum[0] += static_cast<double>(i);
        sum[1] += static_cast<double>(j);
        sum[2] += static_cast<double>(k);
        count += 1.0;
      }
  REQUIRE(count > 0.0);
  return g.index_to_lps({sum[0] / count, sum[1] / count, sum[2] / count});
}

struct HuStats {
  double mean = 0.0;
  std::int64_t count = 0;
};

// Mean HU of the voxels with `label` whose HU lies in [low, high].
HuStats label_hu(const Phantom& phantom, PhantomLabel label, double low, double high) {
  HuStats stats;
  double sum = 0.0;
  for (std::size_t n = 0; n < phantom.labels.size(); ++n) {
    if (phantom.labels[n] != code(label)) continue;
    const double hu = phantom.volume.int16_hu[n];
    if (hu < low || hu > high) continue;
    sum += hu;
    ++stats.count;
  }
  if (stats.count > 0) stats.mean = sum / static_cast<double>(stats.count);
  return stats;
}

HuVolume labels_as_volume(const Phantom& phantom) {
  HuVolume volume;
  volume.geometry = phantom.volume.geometry;
  volume.int16_hu.assign(phantom.labels.begin(), phantom.labels.end());
  return volume;
}

}  // namespace

TEST_SUITE("phantom") {

TEST_CASE("phantom truth volumes") {
  const PhantomTruth& truth = default_phantom().truth;

  // Adult lungs, right larger than left (about 55 / 45).
  CHECK(truth.right_lung_ml > 2500.0);
  CHECK(truth.right_lung_ml < 3500.0);
  CHECK(truth.left_lung_ml > 2500.0);
  CHECK(truth.left_lung_ml < 3500.0);
  const double right_share = truth.right_lung_ml / (truth.right_lung_ml + truth.left_lung_ml);
  CHECK(right_share > 0.53);
  CHECK(right_share < 0.57);
  CHECK(truth.airway_ml > 25.0);
  CHECK(truth.airway_ml < 60.0);

  // Values measured when the anatomy was fixed; a change here is a change of
  // the phantom that every consumer of these numbers must know about.
  CHECK(truth.right_lung_ml == doctest::Approx(3158.0).epsilon(0.01));
  CHECK(truth.left_lung_ml == doctest::Approx(2592.0).epsilon(0.01));
  CHECK(truth.airway_ml == doctest::Approx(36.6).epsilon(0.03));
  CHECK(truth.ggo_right_ml == doctest::Approx(181.2).epsilon(0.03));
  CHECK(truth.ggo_left_ml == doctest::Approx(99.8).epsilon(0.03));
  CHECK(truth.consolidation_right_ml == doctest::Approx(30.7).epsilon(0.03));
  CHECK(truth.consolidation_left_ml == doctest::Approx(6.6).epsilon(0.05));
}

TEST_CASE("phantom truth equals label counts") {
  const Phantom& phantom = default_phantom();
  std::array<std::int64_t, 256> counts{};
  for (const std::uint8_t label : phantom.labels) ++counts[label];
  std::int64_t unknown = 0;
  for (std::size_t label = 10; label < counts.size(); ++label) unknown += counts[label];
  CHECK(unknown == 0);
  const double voxel_ml = phantom.volume.geometry.voxel_volume_mm3() / 1000.0;
  auto ml = [&](PhantomLabel label) { return static_cast<double>(counts[code(label)]) * voxel_ml; };
  CHECK(phantom.truth.right_lung_ml == doctest::Approx(ml(PhantomLabel::right_lung) + ml(PhantomLabel::ggo_right) +
                                                       ml(PhantomLabel::consolidation_right)));
  CHECK(phantom.truth.left_lung_ml == doctest::Approx(ml(PhantomLabel::left_lung) + ml(PhantomLabel::ggo_left) +
                                                      ml(PhantomLabel::consolidation_left)));
  CHECK(phantom.truth.airway_ml == doctest::Approx(ml(PhantomLabel::airway)));
  CHECK(phantom.truth.ggo_right_ml == doctest::Approx(ml(PhantomLabel::ggo_right)));
  CHECK(phantom.truth.consolidation_left_ml == doctest::Approx(ml(PhantomLabel::consolidation_left)));
  CHECK(counts[code(PhantomLabel::table)] > 0);
}

TEST_CASE("phantom labels match HU") {
  const Phantom& phantom = default_phantom();
  constexpr double lowest = -2000.0, highest = 4000.0;

  // Parenchyma: lung voxels below -500 HU leave out vessels and bronchial walls.
  for (const PhantomLabel lung : {PhantomLabel::right_lung, PhantomLabel::left_lung}) {
    const HuStats parenchyma = label_hu(phantom, lung, lowest, -500.0);
    const HuStats all = label_hu(phantom, lung, lowest, highest);
    CHECK(parenchyma.mean == doctest::Approx(-850.0).epsilon(30.0 / 850.0));
    const double vessel_share = 1.0 - static_cast<double>(parenchyma.count) / static_cast<double>(all.count);
    CHECK(vessel_share > 0.02);
    CHECK(vessel_share < 0.10);
  }

  for (const PhantomLabel ggo : {PhantomLabel::ggo_right, PhantomLabel::ggo_left}) {
    const double mean = label_hu(phantom, ggo, lowest, highest).mean;
    CHECK(mean > -700.0);
    CHECK(mean < -400.0);
  }
  for (const PhantomLabel consolidation : {PhantomLabel::consolidation_right, PhantomLabel::consolidation_left}) {
    const double mean = label_hu(phantom, consolidation, lowest, highest).mean;
    CHECK(mean > -100.0);
    CHECK(mean < 50.0);
  }
  CHECK(label_hu(phantom, PhantomLabel::airway, lowest, highest).mean < -950.0);
  const double table = label_hu(phantom, PhantomLabel::table, lowest, highest).mean;
  CHECK(table > 200.0);
  CHECK(table < 400.0);

  // Padding: flagged, -1024 HU and labelled outside.
  const HuVolume& volume = phantom.volume;
  REQUIRE(volume.padding_mask.size() == phantom.labels.size());
  std::int64_t padded = 0, padded_not_air = 0, padded_labelled = 0;
  for (std::size_t n = 0; n < volume.padding_mask.size(); ++n) {
    if (!volume.padding_mask[n]) continue;
    ++padded;
    if (volume.int16_hu[n] != kPaddingHu) ++padded_not_air;
    if (phantom.labels[n] != code(PhantomLabel::outside)) ++padded_labelled;
  }
  CHECK(padded > 0);
  CHECK(padded_not_air == 0);
  CHECK(padded_labelled == 0);
}

TEST_CASE("phantom grids of each position") {
  const std::array<std::array<Vec3, 3>, 3> expected_axes{{
      {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},     // HFS
      {{{-1, 0, 0}, {0, 1, 0}, {0, 0, -1}}},   // FFS
      {{{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}},   // HFP
  }};
  const std::array<PatientPosition, 3> positions{PatientPosition::hfs, PatientPosition::ffs, PatientPosition::hfp};
  for (int p = 0; p < 3; ++p) {
    CAPTURE(patient_position_code(positions[p]));
    const Phantom phantom = generate_chest_phantom(test::small_phantom_options(positions[p]));
    CHECK(phantom.volume.geometry.axes == expected_axes[p]);
    CHECK(phantom.volume.geometry.size == std::array<std::int64_t, 3>{128, 128, 60});

    // The anatomy stays put in LPS: left lung at +x, right lung at -x.
    const Vec3 left = centroid_lps(phantom, PhantomLabel::left_lung);
    const Vec3 right = centroid_lps(phantom, PhantomLabel::right_lung);
    CHECK(left[0] > 50.0);
    CHECK(right[0] < -50.0);

    // The table lies behind the back when supine and in front of the chest when prone.
    const Vec3 table = centroid_lps(phantom, PhantomLabel::table);
    if (positions[p] == PatientPosition::hfp) {
      CHECK(table[1] < -120.0);
    } else {
      CHECK(table[1] > 120.0);
    }
  }
}

TEST_CASE("phantom positions share canonical volume") {
  const Phantom hfs = generate_chest_phantom(test::small_phantom_options(PatientPosition::hfs));
  const HuVolume hfs_hu = reorient_to_canonical(hfs.volume);
  const HuVolume hfs_labels = reorient_to_canonical(labels_as_volume(hfs));

  for (const PatientPosition position : {PatientPosition::ffs, PatientPosition::hfp}) {
    CAPTURE(patient_position_code(position));
    const Phantom other = generate_chest_phantom(test::small_phantom_options(position));
    const HuVolume other_hu = reorient_to_canonical(other.volume);
    const HuVolume other_labels = reorient_to_canonical(labels_as_volume(other));
    CHECK(other_hu.geometry.origin_mm == hfs_hu.geometry.origin_mm);
    CHECK(other_hu.padding_mask == hfs_hu.padding_mask);

    // Identical voxels, except the table, which moves to the front for HFP.
    std::int64_t label_differences = 0, hu_differences = 0, table_moved = 0;
    const auto table = static_cast<std::int16_t>(PhantomLabel::table);
    for (std::size_t n = 0; n < hfs_labels.int16_hu.size(); ++n) {
      const bool is_table = hfs_labels.int16_hu[n] == table || other_labels.int16_hu[n] == table;
      if (is_table) {
        if (hfs_labels.int16_hu[n] != other_labels.int16_hu[n]) ++table_moved;
        continue;
      }
      if (hfs_labels.int16_hu[n] != other_labels.int16_hu[n]) ++label_differences;
      if (hfs_hu.int16_hu[n] != other_hu.int16_hu[n]) ++hu_differences;
    }
    CHECK(label_differences == 0);
    CHECK(hu_differences == 0);
    if (position == PatientPosition::hfp) {
      CHECK(table_moved > 0);
    } else {
      CHECK(table_moved == 0);
    }
  }
}

TEST_CASE("phantom truth independent of grid") {
  PhantomOptions fine;
  fine.matrix = 384;
  fine.pixel_spacing_mm = 1.0;
  fine.slice_thickness_mm = 1.0;
  fine.noise_sd_hu = 0.0;
  PhantomOptions thick = fine;
  thick.matrix = 512;
  thick.pixel_spacing_mm = 0.7;
  thick.slice_thickness_mm = 5.0;
  const PhantomTruth a = generate_chest_phantom(fine).truth;
  const PhantomTruth b = generate_chest_phantom(thick).truth;
  CHECK(b.right_lung_ml == doctest::Approx(a.right_lung_ml).epsilon(0.015));
  CHECK(b.left_lung_ml == doctest::Approx(a.left_lung_ml).epsilon(0.015));
  CHECK(b.ggo_right_ml + b.ggo_left_ml == doctest::Approx(a.ggo_right_ml + a.ggo_left_ml).epsilon(0.03));
  CHECK(b.consolidation_right_ml == doctest::Approx(a.consolidation_right_ml).epsilon(0.05));
  CHECK(b.airway_ml == doctest::Approx(a.airway_ml).epsilon(0.05));
}

TEST_CASE("phantom lesion load") {
  PhantomOptions options = test::small_phantom_options(PatientPosition::hfs);
  const PhantomTruth normal = generate_chest_phantom(options).truth;

  options.lesion_load = 0.0;
  const Phantom healthy = generate_chest_phantom(options);
  CHECK(healthy.truth.ggo_right_ml == 0.0);
  CHECK(healthy.truth.ggo_left_ml == 0.0);
  CHECK(healthy.truth.consolidation_right_ml == 0.0);
  CHECK(healthy.truth.consolidation_left_ml == 0.0);
  std::int64_t lesion_voxels = 0;
  for (const std::uint8_t label : healthy.labels) lesion_voxels += (label >= 5 && label <= 8) ? 1 : 0;
  CHECK(lesion_voxels == 0);

  // Lesions only relabel lung voxels, so the lung volumes do not change.
  CHECK(healthy.truth.right_lung_ml == doctest::Approx(normal.right_lung_ml).epsilon(1e-12));
  CHECK(healthy.truth.left_lung_ml == doctest::Approx(normal.left_lung_ml).epsilon(1e-12));

  options.lesion_load = 2.0;
  const PhantomTruth doubled = generate_chest_phantom(options).truth;
  const double ratio = (doubled.ggo_right_ml + doubled.ggo_left_ml) / (normal.ggo_right_ml + normal.ggo_left_ml);
  CHECK(ratio > 1.6);
  CHECK(ratio < 2.4);
}

TEST_CASE("phantom is deterministic") {
  const PhantomOptions options = test::small_phantom_options(PatientPosition::ffs);
  const Phantom a = generate_chest_phantom(options);
  set_thread_count(1);
  const Phantom b = generate_chest_phantom(options);
  set_thread_count(0);
  CHECK(a.volume.int16_hu == b.volume.int16_hu);
  CHECK(a.labels == b.labels);

  PhantomOptions reseeded = options;
  reseeded.seed = 2;
  const Phantom c = generate_chest_phantom(reseeded);
  CHECK(c.volume.int16_hu != a.volume.int16_hu);
  CHECK(c.labels == a.labels);
}

TEST_CASE("phantom dependent consolidation") {
  const Phantom& phantom = default_phantom();
  const Vec3 lesion = centroid_lps(phantom, PhantomLabel::consolidation_right);
  const Vec3 lung = centroid_lps(phantom, PhantomLabel::right_lung);
  CHECK(lesion[1] > lung[1] + 40.0);  // Posterior: +y in LPS.

  // Against the pleura: some consolidation voxel has a chest wall neighbour.
  const Geometry& g = phantom.volume.geometry;
  const auto consolidation = code(PhantomLabel::consolidation_right);
  const auto body = code(PhantomLabel::body);
  std::int64_t on_pleura = 0;
  for (std::int64_t k = 1; k + 1 < g.size[2]; ++k)
    for (std::int64_t j = 1; j + 1 < g.size[1]; ++j)
      for (std::int64_t i = 1; i + 1 < g.size[0]; ++i) {
        if (phantom.labels[g.linear_index(i, j, k)] != consolidation) continue;
        const std::array<std::int64_t, 6> neighbours{
            g.linear_index(i - 1, j, k), g.linear_index(i + 1, j, k), g.linear_index(i, j - 1, k),
            g.linear_index(i, j + 1, k), g.linear_index(i, j, k - 1), g.linear_index(i, j, k + 1)};
        for (const std::int64_t n : neighbours)
          if (phantom.labels[n] == body) {
            ++on_pleura;
            break;
          }
      }
  CHECK(on_pleura > 20);
}

TEST_CASE("phantom anterior junction") {
  // Two 5 mm slices around z = 0 at 0.7 mm pixels.
  PhantomOptions options;
  options.matrix = 512;
  options.pixel_spacing_mm = 0.7;
  options.slice_thickness_mm = 5.0;
  options.z_extent_mm = 10.0;
  options.noise_sd_hu = 0.0;
  const Phantom phantom = generate_chest_phantom(options);
  const Geometry& g = phantom.volume.geometry;
  const auto right = code(PhantomLabel::right_lung);
  const auto left = code(PhantomLabel::left_lung);

  // The lungs never touch, but come within 3 mm of each other.
  double closest_mm = std::numeric_limits<double>::infinity();
  for (std::int64_t k = 0; k < g.size[2]; ++k)
    for (std::int64_t j = 0; j < g.size[1]; ++j) {
      std::int64_t last_right = -1;
      for (std::int64_t i = 0; i < g.size[0]; ++i) {
        const std::uint8_t label = phantom.labels[g.linear_index(i, j, k)];
        if (label == right) last_right = i;
        if (label == left && last_right >= 0) {
          closest_mm = std::min(closest_mm, static_cast<double>(i - last_right) * g.spacing_mm[0]);
          break;
        }
      }
    }
  CHECK(closest_mm > 0.7);
  CHECK(closest_mm <= 3.0);
}

TEST_CASE("phantom lung shape") {
  const Phantom& phantom = default_phantom();
  const Geometry& g = phantom.volume.geometry;

  // Returns the lowest z (mm) of lung along the craniocaudal line at (x, y).
  auto lung_floor_z = [&](double x, double y) {
    for (std::int64_t k = 0; k < g.size[2]; ++k) {
      const double z = g.index_to_lps({0.0, 0.0, static_cast<double>(k)})[2];
      const PhantomLabel label = test::phantom_label_at(phantom, {x, y, z});
      if (label == PhantomLabel::right_lung || label == PhantomLabel::left_lung) return z;
    }
    return std::numeric_limits<double>::quiet_NaN();
  };

  // Dome-shaped diaphragm: the base rises under the dome centre and falls
  // into the posterior costophrenic recess. The right dome is higher.
  const double right_dome = lung_floor_z(-65.0, -5.0);
  const double right_recess = lung_floor_z(-65.0, 80.0);
  CHECK(right_dome == doctest::Approx(-66.0).epsilon(3.0 / 66.0));
  CHECK(lung_floor_z(95.0, 10.0) < lung_floor_z(-95.0, 10.0) - 5.0);
  CHECK(right_recess < right_dome - 50.0);

  // Rounded apex: lung reaches higher posteriorly-medially than laterally.
  CHECK(test::phantom_label_at(phantom, {-55.0, 10.0, 130.0}) == PhantomLabel::right_lung);
  CHECK(test::phantom_label_at(phantom, {55.0, 10.0, 130.0}) == PhantomLabel::left_lung);
  CHECK(test::phantom_label_at(phantom, {-125.0, 10.0, 130.0}) != PhantomLabel::right_lung);
  CHECK(test::phantom_label_at(phantom, {-55.0, 10.0, 145.0}) != PhantomLabel::right_lung);

  // The main bronchi reach into each lung.
  CHECK(test::phantom_label_at(phantom, {-36.0, 14.0, 5.0}) == PhantomLabel::airway);
  CHECK(test::phantom_label_at(phantom, {44.0, 20.0, 9.0}) == PhantomLabel::airway);
}

TEST_CASE("phantom rejects invalid options") {
  PhantomOptions options;
  options.matrix = 8;
  CHECK_THROWS_AS(generate_chest_phantom(options), std::invalid_argument);
  options = {};
  options.pixel_spacing_mm = 0.0;
  CHECK_THROWS_AS(generate_chest_phantom(options), std::invalid_argument);
  options = {};
  options.slice_thickness_mm = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(generate_chest_phantom(options), std::invalid_argument);
  options = {};
  options.lesion_load = -1.0;
  CHECK_THROWS_AS(generate_chest_phantom(options), std::invalid_argument);
  options = {};
  options.noise_sd_hu = -5.0;
  CHECK_THROWS_AS(generate_chest_phantom(options), std::invalid_argument);
}

}  // TEST_SUITE
