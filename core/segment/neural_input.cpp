#include "segment/neural_input.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

constexpr std::int64_t kTileSide = kNeuralGridSize / kClaheTiles;
constexpr std::int64_t kTileArea = kTileSide * kTileSide;
constexpr std::int64_t kBins = 256;
constexpr float kAirHu = -1024.0f;

using Lut = std::array<std::uint8_t, kBins>;

// Builds the lookup table of one tile: clipped histogram, excess spread over all bins, cumulative sum.
Lut tile_lut(std::span<const std::uint8_t> image, std::int64_t tile_x, std::int64_t tile_y) {
  std::array<std::int64_t, kBins> histogram{};
  for (std::int64_t y = 0; y < kTileSide; ++y)
    for (std::int64_t x = 0; x < kTileSide; ++x)
      ++histogram[image[(tile_y * kTileSide + y) * kNeuralGridSize + tile_x * kTileSide + x]];

  const auto clip = std::max<std::int64_t>(static_cast<std::int64_t>(kClaheClipLimit * kTileArea / kBins), 1);
  std::int64_t excess = 0;
  for (auto& count : histogram) {
    excess += std::max<std::int64_t>(count - clip, 0);
    count = std::min(count, clip);
  }
  for (auto& count : histogram) count += excess / kBins;

  // The remainder goes one count per bin, every `step` bins from bin 0.
  std::int64_t residual = excess % kBins;
  const std::int64_t step = residual > 0 ? std::max<std::int64_t>(kBins / residual, 1) : 1;
  for (std::int64_t bin = 0; bin < kBins && residual > 0; bin += step, --residual) ++histogram[bin];

  Lut lut{};
  std::int64_t sum = 0;
  for (std::int64_t bin = 0; bin < kBins; ++bin) {
    sum += histogram[bin];
    lut[bin] = static_cast<std::uint8_t>(std::min<std::int64_t>((sum * 255 * 2 + kTileArea) / (2 * kTileArea), 255));
  }
  return lut;
}

// Lower tile, upper tile and weight (in 1 / (2 tile side) units) of the
// upper tile for pixel `x`, whose centre lies (2x + 1 - tile) / (2 tile) tiles
// past the first tile centre.
struct TileBlend {
  std::int64_t low = 0;
  std::int64_t high = 0;
  std::int64_t weight = 0;
};

TileBlend tile_blend(std::int64_t x) {
  const std::int64_t position = 2 * x + 1 - kTileSide;
  const std::int64_t scale = 2 * kTileSide;
  const std::int64_t low = position >= 0 ? position / scale : -((-position + scale - 1) / scale);
  return {std::clamp<std::int64_t>(low, 0, kClaheTiles - 1), std::clamp<std::int64_t>(low + 1, 0, kClaheTiles - 1),
          position - low * scale};
}

float sample_slice(const HuVolume& volume, std::int64_t k, double i, double j) {
  const auto& size = volume.geometry.size;
  const double fi = std::floor(i);
  const double fj = std::floor(j);
  const auto i0 = static_cast<std::int64_t>(fi);
  const auto j0 = static_cast<std::int64_t>(fj);
  const double wi = i - fi;
  const double wj = j - fj;

  auto at = [&](std::int64_t ii, std::int64_t jj) -> double {
    if (ii < 0 || jj < 0 || ii >= size[0] || jj >= size[1]) return kAirHu;
    return volume.hu_at(volume.geometry.linear_index(ii, jj, k));
  };
  const double top = at(i0, j0) * (1.0 - wi) + at(i0 + 1, j0) * wi;
  const double bottom = at(i0, j0 + 1) * (1.0 - wi) + at(i0 + 1, j0 + 1) * wi;
  return static_cast<float>(top * (1.0 - wj) + bottom * wj);
}

}  // namespace

double NeuralSliceMapping::slice_i(double u) const {
  return center_i + ((u + 0.5) - 0.5 * kNeuralGridSize) * grid_pixel_mm / spacing_i_mm;
}

double NeuralSliceMapping::slice_j(double v) const {
  return center_j + ((v + 0.5) - 0.5 * kNeuralGridSize) * grid_pixel_mm / spacing_j_mm;
}

double NeuralSliceMapping::grid_u(double i) const {
  return (i - center_i) * spacing_i_mm / grid_pixel_mm + 0.5 * kNeuralGridSize - 0.5;
}

double NeuralSliceMapping::grid_v(double j) const {
  return (j - center_j) * spacing_j_mm / grid_pixel_mm + 0.5 * kNeuralGridSize - 0.5;
}

NeuralSliceMapping neural_slice_mapping(const Geometry& geometry) {
  NeuralSliceMapping mapping;
  mapping.center_i = 0.5 * static_cast<double>(geometry.size[0] - 1);
  mapping.center_j = 0.5 * static_cast<double>(geometry.size[1] - 1);
  mapping.spacing_i_mm = geometry.spacing_mm[0];
  mapping.spacing_j_mm = geometry.spacing_mm[1];
  const double field_of_view_mm = std::max(static_cast<double>(geometry.size[0]) * geometry.spacing_mm[0],
                                           static_cast<double>(geometry.size[1]) * geometry.spacing_mm[1]);
  mapping.grid_pixel_mm = field_of_view_mm / static_cast<double>(kNeuralGridSize);
  return mapping;
}

std::uint8_t window_to_uint8(std::int32_t hu) {
  const std::int64_t clipped = std::clamp(hu, kNeuralWindowMinHu, kNeuralWindowMaxHu);
  const std::int64_t span = kNeuralWindowMaxHu - kNeuralWindowMinHu;
  return static_cast<std::uint8_t>(((clipped - kNeuralWindowMinHu) * 255 * 2 + span) / (2 * span));
}

std::vector<std::uint8_t> clahe_uint8(std::span<const std::uint8_t> image) {
  if (static_cast<std::int64_t>(image.size()) != kNeuralGridPixels) return {};

  std::vector<Lut> luts;
  luts.reserve(kClaheTiles * kClaheTiles);
  for (std::int64_t tile_y = 0; tile_y < kClaheTiles; ++tile_y)
    for (std::int64_t tile_x = 0; tile_x < kClaheTiles; ++tile_x) luts.push_back(tile_lut(image, tile_x, tile_y));

  const std::int64_t scale = 2 * kTileSide;
  const std::int64_t total = scale * scale;
  std::vector<std::uint8_t> out(image.size());
  for (std::int64_t y = 0; y < kNeuralGridSize; ++y) {
    const TileBlend by = tile_blend(y);
    for (std::int64_t x = 0; x < kNeuralGridSize; ++x) {
      const TileBlend bx = tile_blend(x);
      const std::uint8_t value = image[y * kNeuralGridSize + x];
      const std::int64_t blended =
          luts[by.low * kClaheTiles + bx.low][value] * (scale - bx.weight) * (scale - by.weight) +
          luts[by.low * kClaheTiles + bx.high][value] * bx.weight * (scale - by.weight) +
          luts[by.high * kClaheTiles + bx.low][value] * (scale - bx.weight) * by.weight +
          luts[by.high * kClaheTiles + bx.high][value] * bx.weight * by.weight;
      out[y * kNeuralGridSize + x] = static_cast<std::uint8_t>((blended * 2 + total) / (2 * total));
    }
  }
  return out;
}

std::vector<float> resample_slice_to_grid(const HuVolume& volume, std::int64_t k,
                                          const NeuralSliceMapping& mapping) {
  std::vector<float> grid(kNeuralGridPixels);
  for (std::int64_t v = 0; v < kNeuralGridSize; ++v) {
    const double j = mapping.slice_j(static_cast<double>(v));
    for (std::int64_t u = 0; u < kNeuralGridSize; ++u)
      grid[v * kNeuralGridSize + u] = sample_slice(volume, k, mapping.slice_i(static_cast<double>(u)), j);
  }
  return grid;
}

NeuralInputBatch neural_input_batch(const HuVolume& volume, std::int64_t first_slice, std::int64_t end_slice) {
  NeuralInputBatch batch;
  const std::int64_t slices = volume.geometry.size[2];
  if (volume.voxel_count() <= 0) {
    batch.diagnostics.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                                 "neural input: no volume is loaded"});
    return batch;
  }
  if (first_slice < 0 || end_slice > slices || first_slice >= end_slice) {
    batch.diagnostics.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                                 "neural input: slice range [" + std::to_string(first_slice) + ", " +
                                     std::to_string(end_slice) + ") is empty or outside the " +
                                     std::to_string(slices) + " slices of the volume"});
    return batch;
  }

  const NeuralSliceMapping mapping = neural_slice_mapping(volume.geometry);
  batch.values.resize(static_cast<std::size_t>((end_slice - first_slice) * kNeuralGridPixels));
  parallel_for(first_slice, end_slice, [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::uint8_t> windowed(kNeuralGridPixels);
    for (std::int64_t k = begin; k < end; ++k) {
      const std::vector<float> hu = resample_slice_to_grid(volume, k, mapping);
      for (std::int64_t p = 0; p < kNeuralGridPixels; ++p)
        windowed[p] = window_to_uint8(static_cast<std::int32_t>(std::lround(hu[p])));

      const std::vector<std::uint8_t> enhanced = clahe_uint8(windowed);
      float* out = batch.values.data() + (k - first_slice) * kNeuralGridPixels;
      for (std::int64_t p = 0; p < kNeuralGridPixels; ++p) out[p] = static_cast<float>(enhanced[p]) / 255.0f;
    }
  });
  return batch;
}

}  // namespace lunglens
