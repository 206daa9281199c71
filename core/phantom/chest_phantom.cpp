#include "phantom/chest_phantom.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "parallel/parallel_for.h"
#include "phantom/slice_painter.h"
#include "volume/reorient.h"

namespace lunglens {
namespace {

void require(bool condition, const std::string& message) {
  if (!condition) throw std::invalid_argument("generate_chest_phantom: " + message);
}

void validate(const PhantomOptions& options) {
  require(options.matrix >= 16 && options.matrix <= 2048,
          "matrix " + std::to_string(options.matrix) + " is outside 16..2048");
  require(options.pixel_spacing_mm >= 0.1 && options.pixel_spacing_mm <= 10.0,
          "pixel spacing " + std::to_string(options.pixel_spacing_mm) + " mm is outside 0.1..10 mm");
  require(options.slice_thickness_mm >= 0.1 && options.slice_thickness_mm <= 20.0,
          "slice thickness " + std::to_string(options.slice_thickness_mm) + " mm is outside 0.1..20 mm");
  require(options.z_extent_mm >= 1.0 && options.z_extent_mm <= 1000.0,
          "z extent " + std::to_string(options.z_extent_mm) + " mm is outside 1..1000 mm");
  require(options.noise_sd_hu >= 0.0 && options.noise_sd_hu <= 500.0,
          "noise " + std::to_string(options.noise_sd_hu) + " HU is outside 0..500 HU");
  require(options.lesion_load >= 0.0 && options.lesion_load <= 8.0,
          "lesion load " + std::to_string(options.lesion_load) + " is outside 0..8");
  // NaN fails every comparison above, so it is rejected there too.
}

std::int64_t slice_count(const PhantomOptions& options) {
  return std::max<std::int64_t>(1, std::llround(options.z_extent_mm / options.slice_thickness_mm));
}

// Grid centred on the LPS origin with the given axes.
Geometry centred_grid(const PhantomOptions& options, const std::array<Vec3, 3>& axes) {
  Geometry grid;
  grid.size = {options.matrix, options.matrix, slice_count(options)};
  grid.spacing_mm = {options.pixel_spacing_mm, options.pixel_spacing_mm, options.slice_thickness_mm};
  grid.axes = axes;
  grid.origin_mm = {0.0, 0.0, 0.0};
  for (int a = 0; a < 3; ++a) {
    const double half_span = 0.5 * static_cast<double>(grid.size[a] - 1) * grid.spacing_mm[a];
    for (int c = 0; c < 3; ++c) grid.origin_mm[c] -= half_span * axes[a][c];
  }
  return grid;
}

PhantomTruth measure_truth(const std::vector<std::uint8_t>& labels, double voxel_ml) {
  std::array<std::int64_t, 256> counts{};
  for (const std::uint8_t label : labels) ++counts[label];
  auto ml = [&](PhantomLabel label) { return static_cast<double>(counts[static_cast<int>(label)]) * voxel_ml; };

  PhantomTruth truth;
  truth.ggo_right_ml = ml(PhantomLabel::ggo_right);
  truth.ggo_left_ml = ml(PhantomLabel::ggo_left);
  truth.consolidation_right_ml = ml(PhantomLabel::consolidation_right);
  truth.consolidation_left_ml = ml(PhantomLabel::consolidation_left);
  truth.right_lung_ml = ml(PhantomLabel::right_lung) + truth.ggo_right_ml + truth.consolidation_right_ml;
  truth.left_lung_ml = ml(PhantomLabel::left_lung) + truth.ggo_left_ml + truth.consolidation_left_ml;
  truth.airway_ml = ml(PhantomLabel::airway);
  return truth;
}

}  // namespace

std::string patient_position_code(PatientPosition position) {
  switch (position) {
    case PatientPosition::hfs: return "HFS";
    case PatientPosition::ffs: return "FFS";
    case PatientPosition::hfp: return "HFP";
  }
  return "HFS";
}

Geometry phantom_acquisition_geometry(const PhantomOptions& options) {
  validate(options);
  switch (options.position) {
    case PatientPosition::hfs: return centred_grid(options, {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}});
    case PatientPosition::ffs: return centred_grid(options, {{{-1, 0, 0}, {0, 1, 0}, {0, 0, -1}}});
    case PatientPosition::hfp: return centred_grid(options, {{{-1, 0, 0}, {0, -1, 0}, {0, 0, 1}}});
  }
  throw std::invalid_argument("generate_chest_phantom: unknown patient position");
}

Phantom generate_chest_phantom(const PhantomOptions& options) {
  validate(options);

  // Paint on the canonical grid (i left, j posterior, k head), where every
  // patient position samples the very same LPS points, then permute to the
  // acquisition grid. So HFS, FFS and HFP differ only by the table side.
  const Geometry acquisition = phantom_acquisition_geometry(options);
  phantom::SliceSettings settings;
  settings.grid = centred_grid(options, {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}});
  settings.table_side = options.position == PatientPosition::hfp ? phantom::TableSide::anterior
                                                                 : phantom::TableSide::posterior;
  settings.lesions = phantom::lesions_for_load(options.lesion_load);
  settings.noise_sd_hu = options.noise_sd_hu;
  settings.noise_seed = options.seed;
  settings.fov_padding = options.circular_fov_padding;
  settings.fov_radius_mm = 0.5 * options.matrix * options.pixel_spacing_mm;

  const Geometry& grid = settings.grid;
  const std::int64_t slice_voxels = grid.size[0] * grid.size[1];
  const auto voxels = static_cast<std::size_t>(grid.voxel_count());
  std::vector<std::int16_t> hu(voxels);
  std::vector<std::uint8_t> labels(voxels);
  std::vector<std::uint8_t> padding(voxels);
  parallel_for(0, grid.size[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k) {
      const std::int64_t offset = k * slice_voxels;
      phantom::paint_slice(settings, k, hu.data() + offset, labels.data() + offset, padding.data() + offset);
    }
  });

  Phantom phantom;
  phantom.truth = measure_truth(labels, grid.voxel_volume_mm3() / 1000.0);

  // HFS needs no permutation, so its buffers move instead of being copied.
  const AxisPermutation to_acquisition = inverse_permutation(canonical_permutation(acquisition));
  auto to_grid = [&](auto& voxels) {
    return to_acquisition.is_identity() ? std::move(voxels) : permute_voxels(voxels, grid, to_acquisition);
  };
  phantom.volume.geometry = acquisition;
  phantom.volume.voxel_type = VoxelType::int16;
  phantom.volume.int16_hu = to_grid(hu);
  phantom.labels = to_grid(labels);
  if (options.circular_fov_padding) phantom.volume.padding_mask = to_grid(padding);
  return phantom;
}

}  // namespace lunglens
