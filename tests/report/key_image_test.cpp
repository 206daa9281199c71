#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "phantom/chest_phantom.h"
#include "report/key_image.h"
#include "support/phantom_truth.h"

using namespace lunglens;

namespace {

Rgb pixel(const KeyImage& key, int column, int row) {
  const std::uint8_t* p = &key.image.pixels[(static_cast<std::size_t>(row) * key.image.width + column) * 3];
  return {p[0], p[1], p[2]};
}

Vec3 pixel_lps(const KeyImage& key, int column, int row) {
  Vec3 lps{};
  for (int c = 0; c < 3; ++c) lps[c] = key.top_left_lps[c] + column * key.column_step_mm[c] + row * key.row_step_mm[c];
  return lps;
}

// Returns the phantom label of the voxel nearest to pixel (column, row).
PhantomLabel truth_at(const Phantom& phantom, const KeyImage& key, int column, int row) {
  return test::phantom_label_at(phantom, pixel_lps(key, column, row));
}

bool is_ggo(PhantomLabel label) { return label == PhantomLabel::ggo_right || label == PhantomLabel::ggo_left; }
bool is_consolidation(PhantomLabel label) {
  return label == PhantomLabel::consolidation_right || label == PhantomLabel::consolidation_left;
}

// True when the pixel and its 8 neighbours show the same truth label, so no
// outline or letter can cover it.
bool inside_uniform_area(const Phantom& phantom, const KeyImage& key, int column, int row) {
  const PhantomLabel label = truth_at(phantom, key, column, row);
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx)
      if (truth_at(phantom, key, column + dx, row + dy) != label) return false;
  return true;
}

}  // namespace

TEST_SUITE("report") {

TEST_CASE("key images names sizes and png") {
  const Phantom phantom = generate_chest_phantom(test::small_phantom_options(PatientPosition::hfs));
  const std::vector<KeyImage> images =
      render_key_images(phantom.volume, test::segmentation_from_phantom_truth(phantom));
  REQUIRE(images.size() == 4);
  CHECK(images[0].name == "key-axial-upper.png");
  CHECK(images[1].name == "key-axial-middle.png");
  CHECK(images[2].name == "key-axial-lower.png");
  CHECK(images[3].name == "key-coronal.png");

  // 128 x 3 mm = 384 mm field of view; the 3 mm spacing would give 128
  // pixels, under the 256-pixel minimum, so pixels are 1.5 mm.
  for (const KeyImage& key : images) {
    CAPTURE(key.name);
    CHECK(key.image.width == 256);
    CHECK(key.column_step_mm[0] == doctest::Approx(1.5));
    CHECK(key.slice_height_pixels < key.image.height);  // Legend band below.
    REQUIRE(key.png.size() > 33);
    CHECK(key.png[1] == 'P');
    const auto u32 = [&](std::size_t at) {
      return (key.png[at] << 24) | (key.png[at + 1] << 16) | (key.png[at + 2] << 8) | key.png[at + 3];
    };
    CHECK(u32(16) == key.image.width);
    CHECK(u32(20) == key.image.height);
  }
  CHECK(images[0].slice_height_pixels == 256);  // 384 mm anterior-posterior.
  CHECK(images[3].slice_height_pixels == 200);  // 300 mm craniocaudal at 1.5 mm.

  // Upper above middle above lower, each at the centre of a third of the lungs.
  CHECK(images[0].top_left_lps[2] > images[1].top_left_lps[2]);
  CHECK(images[1].top_left_lps[2] > images[2].top_left_lps[2]);
  CHECK(images[0].top_left_lps[2] - images[1].top_left_lps[2] ==
        doctest::Approx(images[1].top_left_lps[2] - images[2].top_left_lps[2]));
}

TEST_CASE("key images colours at overlay positions") {
  // The slices through the phantom's zone centres meet GGO but no
  // consolidation, so GGO voxels in alternate bands of 4 rows (12 mm along
  // j) are labelled consolidation here: the renderer colours labels,
  // whatever the HU.
  Phantom phantom = generate_chest_phantom(test::small_phantom_options(PatientPosition::hfs));
  const Geometry& g = phantom.volume.geometry;
  for (std::int64_t index = 0; index < g.voxel_count(); ++index) {
    auto& label = phantom.labels[static_cast<std::size_t>(index)];
    const std::int64_t j = (index / g.size[0]) % g.size[1];
    if ((j / 4) % 2 == 0) continue;
    if (label == static_cast<std::uint8_t>(PhantomLabel::ggo_right))
      label = static_cast<std::uint8_t>(PhantomLabel::consolidation_right);
    if (label == static_cast<std::uint8_t>(PhantomLabel::ggo_left))
      label = static_cast<std::uint8_t>(PhantomLabel::consolidation_left);
  }
  const std::vector<KeyImage> images =
      render_key_images(phantom.volume, test::segmentation_from_phantom_truth(phantom));
  REQUIRE(images.size() == 4);

  std::map<std::string, int> checked;
  for (const KeyImage& key : images) {
    CAPTURE(key.name);
    for (int row = 1; row + 1 < key.slice_height_pixels; ++row) {
      for (int column = 1; column + 1 < key.image.width; ++column) {
        const PhantomLabel label = truth_at(phantom, key, column, row);
        if (!is_ggo(label) && !is_consolidation(label)) continue;
        if (!inside_uniform_area(phantom, key, column, row)) continue;

        // Lung window W1500/L-600 gives the grey; the overlay is blended over it.
        const Vec3 index = phantom.volume.geometry.lps_to_index(pixel_lps(key, column, row));
        const float hu = phantom.volume.hu_at(phantom.volume.geometry.linear_index(
            std::llround(index[0]), std::llround(index[1]), std::llround(index[2])));
        const double grey = std::clamp((hu + 1350.0) / 1500.0 * 255.0, 0.0, 255.0);
        const Rgb overlay = is_ggo(label) ? kGroundGlassColour : kConsolidationColour;
        const double opacity = is_ggo(label) ? kGroundGlassOpacity : kConsolidationOpacity;
        const Rgb rendered = pixel(key, column, row);
        for (int channel = 0; channel < 3; ++channel)
          REQUIRE(std::abs(rendered[channel] - (grey * (1.0 - opacity) + overlay[channel] * opacity)) <= 1.0);
        ++checked[is_ggo(label) ? "GGO" : "consolidation"];
      }
    }
  }
  CHECK(checked["GGO"] > 50);
  CHECK(checked["consolidation"] > 50);
}

TEST_CASE("key images radiological orientation") {
  const Phantom phantom = generate_chest_phantom(test::small_phantom_options(PatientPosition::hfs));
  const std::vector<KeyImage> images =
      render_key_images(phantom.volume, test::segmentation_from_phantom_truth(phantom));
  REQUIRE(images.size() == 4);

  for (const KeyImage& key : {images[1], images[3]}) {
    CAPTURE(key.name);
    // Outline colours: right lung (green) left of the left lung (blue).
    double right_sum = 0, left_sum = 0;
    int right_count = 0, left_count = 0;
    for (int row = 0; row < key.slice_height_pixels; ++row) {
      for (int column = 0; column < key.image.width; ++column) {
        const Rgb rendered = pixel(key, column, row);
        if (rendered == kRightLungOutline) {
          right_sum += column;
          ++right_count;
        }
        if (rendered == kLeftLungOutline) {
          left_sum += column;
          ++left_count;
        }
      }
    }
    REQUIRE(right_count > 100);
    REQUIRE(left_count > 100);
    CHECK(right_sum / right_count < key.image.width / 2.0);
    CHECK(left_sum / left_count > key.image.width / 2.0);
  }

  // Axial: anterior at the top (LPS y grows downwards), patient right at the
  // left (x grows to the right); coronal: head at the top.
  CHECK(images[1].row_step_mm[1] > 0.0);
  CHECK(images[1].column_step_mm[0] > 0.0);
  CHECK(images[3].row_step_mm[2] < 0.0);

  // The table lies posterior in a supine (HFS) scan: in the bottom half.
  int table_top = 0, table_bottom = 0;
  const KeyImage& middle = images[1];
  for (int row = 0; row < middle.slice_height_pixels; ++row)
    for (int column = 0; column < middle.image.width; ++column)
      if (truth_at(phantom, middle, column, row) == PhantomLabel::table)
        (row < middle.slice_height_pixels / 2 ? table_top : table_bottom)++;
  CHECK(table_top == 0);
  CHECK(table_bottom > 0);

  // Padding outside the field of view (-1024 HU) is dark grey in the lung window.
  CHECK(pixel(middle, 0, 0) == Rgb{55, 55, 55});
}

TEST_CASE("key images equal for prone and supine") {
  // HFP stores the same anatomy on a flipped grid; sampled at LPS positions,
  // the images agree everywhere except at the table, which HFP puts anterior.
  // Without noise, because the noise is drawn in the order of the grid.
  PhantomOptions supine_options = test::small_phantom_options(PatientPosition::hfs);
  PhantomOptions prone_options = test::small_phantom_options(PatientPosition::hfp);
  supine_options.noise_sd_hu = prone_options.noise_sd_hu = 0.0;
  const Phantom supine = generate_chest_phantom(supine_options);
  const Phantom prone = generate_chest_phantom(prone_options);

  const auto supine_images = render_key_images(supine.volume, test::segmentation_from_phantom_truth(supine));
  const auto prone_images = render_key_images(prone.volume, test::segmentation_from_phantom_truth(prone));
  REQUIRE(supine_images.size() == 4);
  REQUIRE(prone_images.size() == 4);

  for (std::size_t n = 0; n < 4; ++n) {
    CAPTURE(supine_images[n].name);
    const KeyImage& a = supine_images[n];
    const KeyImage& b = prone_images[n];
    REQUIRE(a.image.width == b.image.width);
    REQUIRE(a.image.height == b.image.height);
    int compared = 0, different = 0;
    for (int row = 0; row < a.image.height; ++row) {
      for (int column = 0; column < a.image.width; ++column) {
        if (row < a.slice_height_pixels && (truth_at(supine, a, column, row) == PhantomLabel::table ||
                                            truth_at(prone, b, column, row) == PhantomLabel::table))
          continue;
        ++compared;
        different += pixel(a, column, row) != pixel(b, column, row);
      }
    }
    CHECK(compared > a.image.width * a.image.height / 2);
    CHECK(different == 0);
  }
}

TEST_CASE("key images need lungs and matching buffers") {
  const Phantom phantom = generate_chest_phantom(test::small_phantom_options(PatientPosition::hfs));
  LungSegmentation segmentation = test::segmentation_from_phantom_truth(phantom);

  LungSegmentation no_lungs = segmentation;
  std::fill(no_lungs.lungs.begin(), no_lungs.lungs.end(), 0);
  CHECK(render_key_images(phantom.volume, no_lungs).empty());

  LungSegmentation short_labels = segmentation;
  short_labels.lungs.pop_back();
  CHECK(render_key_images(phantom.volume, short_labels).empty());

  CHECK(render_key_images(HuVolume{}, LungSegmentation{}).empty());
}

}
