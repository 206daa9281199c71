// Input of the neural lung and lesion models: each axial slice resampled to a
// 256x256 grid, windowed and contrast-enhanced (CLAHE) exactly as
// models/clahe.py does it, so that training and inference see the same
// transform. The models themselves run outside the core (ONNX Runtime Web).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "volume/geometry.h"
#include "volume/volume.h"

namespace lunglens {

// Side of the square model grid, in pixels.
inline constexpr std::int64_t kNeuralGridSize = 256;
inline constexpr std::int64_t kNeuralGridPixels = kNeuralGridSize * kNeuralGridSize;

// HU window mapped linearly onto 0..255 before CLAHE.
inline constexpr std::int32_t kNeuralWindowMinHu = -1024;
inline constexpr std::int32_t kNeuralWindowMaxHu = 1024;

// CLAHE tiles per axis and relative clip limit, as OpenCV's createCLAHE takes them.
inline constexpr std::int64_t kClaheTiles = 8;
inline constexpr double kClaheClipLimit = 7.0;

// Placement of the model grid on an axial slice: a square field of view with
// side max(columns x column spacing, rows x row spacing), centred on the slice,
// so that the whole slice is seen without distortion.
struct NeuralSliceMapping {
  double center_i = 0.0;      // Continuous slice index of the field-of-view centre.
  double center_j = 0.0;
  double spacing_i_mm = 1.0;  // Slice pixel spacing along i (columns) and j (rows).
  double spacing_j_mm = 1.0;
  double grid_pixel_mm = 1.0; // Side of one model-grid pixel.

  // Continuous slice index of the centre of model pixel column u (or row v).
  double slice_i(double u) const;
  double slice_j(double v) const;

  // Continuous model-grid coordinate of slice index i (or j). Model pixel u covers [u - 0.5, u + 0.5).
  double grid_u(double i) const;
  double grid_v(double j) const;
};

NeuralSliceMapping neural_slice_mapping(const Geometry& geometry);

// Maps HU onto 0..255: clipped to the window, then rounded half up.
std::uint8_t window_to_uint8(std::int32_t hu);

// Returns the 256x256 image after contrast-limited adaptive histogram
// equalisation. The steps follow OpenCV's CLAHE, but the rounding uses
// integers so that models/clahe.py returns the same bytes. `image` must hold
// kNeuralGridPixels values, row by row.
std::vector<std::uint8_t> clahe_uint8(std::span<const std::uint8_t> image);

// Returns slice k resampled bilinearly onto the model grid, in HU (row v,
// column u at index u + 256 v). Samples outside the slice read as air (-1024 HU).
std::vector<float> resample_slice_to_grid(const HuVolume& volume, std::int64_t k,
                                          const NeuralSliceMapping& mapping);

struct NeuralInputBatch {
  // (end_slice - first_slice) x 256 x 256 values in 0..1, slice by slice,
  // ready for a float32 tensor of shape [slices, 1, 256, 256]. Empty on error.
  std::vector<float> values;
  Diagnostics diagnostics;
};

// Builds the model input of slices [first_slice, end_slice). The steps per
// slice: resample to the grid, round to whole HU, window, CLAHE, divide by 255.
// An empty volume or a range outside the slices gives an invalid_argument error.
NeuralInputBatch neural_input_batch(const HuVolume& volume, std::int64_t first_slice,
                                    std::int64_t end_slice);

}  // namespace lunglens
