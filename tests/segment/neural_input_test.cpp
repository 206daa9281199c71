#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "phantom/chest_phantom.h"
#include "segment/neural_input.h"
#include "support/test_grid.h"

using namespace lunglens;

namespace {

// HU image of a lung-like disc in soft tissue inside a bone ring, in air. The
// same formula in models/clahe.py gave the reference values checked below.
std::int32_t reference_hu(std::int64_t x, std::int64_t y) {
  const double radius = std::hypot(static_cast<double>(x) - 128.0, static_cast<double>(y) - 120.0);
  if (radius < 60.0) return static_cast<std::int32_t>(-850 + (x % 17) * 10);
  if (radius < 80.0) return static_cast<std::int32_t>(40 + (y % 23) * 5);
  if (radius < 90.0) return 700;
  return -1000;
}

std::vector<std::uint8_t> reference_windowed_image() {
  std::vector<std::uint8_t> image(kNeuralGridPixels);
  for (std::int64_t y = 0; y < kNeuralGridSize; ++y)
    for (std::int64_t x = 0; x < kNeuralGridSize; ++x) image[y * kNeuralGridSize + x] = window_to_uint8(reference_hu(x, y));
  return image;
}

std::uint64_t fnv1a(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t hash = 1469598103934665603ull;
  for (const std::uint8_t b : bytes) hash = (hash ^ b) * 1099511628211ull;
  return hash;
}

// Returns a 512x512 volume of `slices` slices in which every 2x2 pixel block
// holds one pixel of the reference image, so the model grid samples it exactly.
HuVolume doubled_reference_volume(std::int64_t slices) {
  HuVolume volume;
  volume.geometry = test::grid(512, 512, slices, {0.7, 0.7, 2.5});
  volume.int16_hu.resize(static_cast<std::size_t>(volume.voxel_count()));
  for (std::int64_t k = 0; k < slices; ++k)
    for (std::int64_t j = 0; j < 512; ++j)
      for (std::int64_t i = 0; i < 512; ++i)
        volume.int16_hu[volume.geometry.linear_index(i, j, k)] = static_cast<std::int16_t>(reference_hu(i / 2, j / 2));
  return volume;
}

}  // namespace

TEST_SUITE("neural input") {

TEST_CASE("window maps HU onto bytes") {
  CHECK(window_to_uint8(-3024) == 0);
  CHECK(window_to_uint8(-1024) == 0);
  CHECK(window_to_uint8(-1000) == 3);
  CHECK(window_to_uint8(0) == 128);
  CHECK(window_to_uint8(40) == 132);
  CHECK(window_to_uint8(700) == 215);
  CHECK(window_to_uint8(1024) == 255);
  CHECK(window_to_uint8(3071) == 255);
}

TEST_CASE("clahe matches python reference") {
  const std::vector<std::uint8_t> windowed = reference_windowed_image();
  const std::vector<std::uint8_t> enhanced = clahe_uint8(windowed);
  REQUIRE(enhanced.size() == static_cast<std::size_t>(kNeuralGridPixels));

  std::int64_t sum = 0;
  for (const std::uint8_t value : enhanced) sum += value;
  CHECK(sum == 3911987);
  CHECK(fnv1a(enhanced) == 1167194562710117694ull);

  // (row, column, windowed byte, enhanced byte) from models/clahe.py.
  const int samples[][4] = {{0, 0, 3, 11},       {120, 128, 33, 88}, {120, 200, 136, 137},
                            {5, 250, 3, 11},     {200, 128, 215, 229}, {128, 60, 141, 175}};
  for (const auto& sample : samples) {
    CAPTURE(sample[0]);
    CAPTURE(sample[1]);
    CHECK(windowed[sample[0] * kNeuralGridSize + sample[1]] == sample[2]);
    CHECK(enhanced[sample[0] * kNeuralGridSize + sample[1]] == sample[3]);
  }
}

TEST_CASE("clahe rejects wrong size") {
  const std::vector<std::uint8_t> image(100, 7);
  CHECK(clahe_uint8(image).empty());
}

TEST_CASE("mapping of square slice") {
  const NeuralSliceMapping mapping = neural_slice_mapping(test::grid(512, 512, 1, {0.7, 0.7, 2.5}));
  CHECK(mapping.grid_pixel_mm == doctest::Approx(1.4));
  CHECK(mapping.slice_i(0.0) == doctest::Approx(0.5));
  CHECK(mapping.slice_i(255.0) == doctest::Approx(510.5));
  CHECK(mapping.slice_j(100.0) == doctest::Approx(200.5));
  CHECK(mapping.grid_u(200.5) == doctest::Approx(100.0));
  CHECK(mapping.grid_v(mapping.slice_j(37.25)) == doctest::Approx(37.25));
}

TEST_CASE("mapping of non-square slice") {
  // 400 columns of 0.8 mm (320 mm) and 300 rows of 1.2 mm (360 mm): the square
  // field of view is 360 mm, so a grid pixel is 1.40625 mm and the columns are centred.
  const NeuralSliceMapping mapping = neural_slice_mapping(test::grid(400, 300, 1, {0.8, 1.2, 5.0}));
  CHECK(mapping.grid_pixel_mm == doctest::Approx(360.0 / 256.0));
  CHECK(mapping.slice_j(0.0) == doctest::Approx(-0.5 + 0.5 * 1.40625 / 1.2));
  CHECK(mapping.slice_i(127.5) == doctest::Approx(199.5));
  CHECK(mapping.grid_u(mapping.slice_i(3.0)) == doctest::Approx(3.0));
}

TEST_CASE("batch reproduces reference slice") {
  const HuVolume volume = doubled_reference_volume(3);
  const NeuralInputBatch batch = neural_input_batch(volume, 1, 3);
  REQUIRE(batch.diagnostics.empty());
  REQUIRE(batch.values.size() == static_cast<std::size_t>(2 * kNeuralGridPixels));

  const std::vector<std::uint8_t> enhanced = clahe_uint8(reference_windowed_image());
  for (std::int64_t s = 0; s < 2; ++s) {
    std::int64_t mismatches = 0;
    for (std::int64_t p = 0; p < kNeuralGridPixels; ++p)
      if (batch.values[s * kNeuralGridPixels + p] != static_cast<float>(enhanced[p]) / 255.0f) ++mismatches;
    CHECK(mismatches == 0);
  }
}

TEST_CASE("batch rejects bad ranges") {
  const HuVolume volume = doubled_reference_volume(2);
  for (const auto& [first, end] : {std::pair<std::int64_t, std::int64_t>{-1, 1}, {0, 3}, {1, 1}, {2, 1}}) {
    CAPTURE(first);
    CAPTURE(end);
    const NeuralInputBatch batch = neural_input_batch(volume, first, end);
    CHECK(batch.values.empty());
    REQUIRE(batch.diagnostics.size() == 1);
    CHECK(batch.diagnostics[0].code == DiagnosticCode::invalid_argument);
  }
  CHECK(neural_input_batch(HuVolume{}, 0, 1).diagnostics.size() == 1);
}

TEST_CASE("phantom slice input") {
  PhantomOptions options;
  options.z_extent_mm = 10.0;
  options.noise_sd_hu = 0.0;
  const Phantom phantom = generate_chest_phantom(options);
  const std::int64_t slices = phantom.volume.geometry.size[2];
  const NeuralInputBatch batch = neural_input_batch(phantom.volume, 0, slices);
  REQUIRE(batch.diagnostics.empty());

  // The 256x256 phantom at 1.5 mm maps pixel for pixel onto the model grid,
  // so the labels index the input directly.
  double lung_sum = 0.0, body_sum = 0.0;
  std::int64_t lung_count = 0, body_count = 0;
  for (std::int64_t p = 0; p < kNeuralGridPixels; ++p) {
    const float value = batch.values[p];
    REQUIRE(value >= 0.0f);
    REQUIRE(value <= 1.0f);
    const auto label = static_cast<PhantomLabel>(phantom.labels[p]);
    if (label == PhantomLabel::right_lung || label == PhantomLabel::left_lung) {
      lung_sum += value;
      ++lung_count;
    } else if (label == PhantomLabel::body) {
      body_sum += value;
      ++body_count;
    }
  }
  REQUIRE(lung_count > 1000);
  REQUIRE(body_count > 1000);
  CHECK(lung_sum / lung_count < body_sum / body_count - 0.2);
}

}  // TEST_SUITE
