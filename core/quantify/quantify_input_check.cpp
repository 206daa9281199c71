#include "quantify/quantify_input_check.h"

#include <cmath>
#include <string>

namespace lunglens {
namespace {

// Grids may differ by float noise after a round trip through DICOM strings.
constexpr double kPositionToleranceMm = 1e-3;
constexpr double kDirectionTolerance = 1e-6;

void reject(Diagnostics& diagnostics, std::string message) {
  diagnostics.push_back({DiagnosticCode::invalid_argument, Severity::error, "", std::move(message)});
}

std::string size_text(const Geometry& geometry) {
  return std::to_string(geometry.size[0]) + " x " + std::to_string(geometry.size[1]) + " x " +
         std::to_string(geometry.size[2]);
}

bool same_placement(const Geometry& a, const Geometry& b) {
  for (int axis = 0; axis < 3; ++axis) {
    if (std::abs(a.spacing_mm[axis] - b.spacing_mm[axis]) > kPositionToleranceMm) return false;
    if (std::abs(a.origin_mm[axis] - b.origin_mm[axis]) > kPositionToleranceMm) return false;
    for (int c = 0; c < 3; ++c)
      if (std::abs(a.axes[axis][c] - b.axes[axis][c]) > kDirectionTolerance) return false;
  }
  return true;
}

}  // namespace

bool check_quantify_inputs(const HuVolume& volume, const LungSegmentation& segmentation,
                           Diagnostics& diagnostics) {
  const Geometry& grid = volume.geometry;
  for (int axis = 0; axis < 3; ++axis) {
    if (grid.size[axis] <= 0) {
      reject(diagnostics, "quantify: HU volume grid " + size_text(grid) + " is empty");
      return false;
    }
    if (!(grid.spacing_mm[axis] > 0.0) || !std::isfinite(grid.spacing_mm[axis])) {
      reject(diagnostics, "quantify: HU volume spacing along axis " + std::to_string(axis) +
                              " is " + std::to_string(grid.spacing_mm[axis]) + " mm; it must be positive");
      return false;
    }
  }
  if (!(grid.voxel_volume_mm3() > 0.0)) {
    reject(diagnostics, "quantify: HU volume axes are degenerate (voxel volume 0 mm3)");
    return false;
  }

  const auto voxels = static_cast<std::size_t>(grid.voxel_count());
  const std::size_t hu_values =
      volume.voxel_type == VoxelType::int16 ? volume.int16_hu.size() : volume.float32_hu.size();
  if (hu_values != voxels) {
    reject(diagnostics, "quantify: HU volume holds " + std::to_string(hu_values) + " values for a " +
                            size_text(grid) + " grid (" + std::to_string(voxels) + " voxels)");
    return false;
  }
  if (!volume.padding_mask.empty() && volume.padding_mask.size() != voxels) {
    reject(diagnostics, "quantify: padding mask holds " + std::to_string(volume.padding_mask.size()) +
                            " values for " + std::to_string(voxels) + " voxels");
    return false;
  }

  if (segmentation.geometry.size != grid.size) {
    reject(diagnostics, "quantify: segmentation grid " + size_text(segmentation.geometry) +
                            " differs from HU volume grid " + size_text(grid));
    return false;
  }
  if (!same_placement(segmentation.geometry, grid)) {
    reject(diagnostics,
           "quantify: segmentation grid has the same size but a different origin, spacing or "
           "orientation than the HU volume; resample it onto the HU grid first");
    return false;
  }
  if (segmentation.lungs.size() != voxels) {
    reject(diagnostics, "quantify: lung label volume holds " + std::to_string(segmentation.lungs.size()) +
                            " values for " + std::to_string(voxels) + " voxels");
    return false;
  }
  if (!segmentation.lesions.empty() && segmentation.lesions.size() != voxels) {
    reject(diagnostics, "quantify: lesion label volume holds " +
                            std::to_string(segmentation.lesions.size()) + " values for " +
                            std::to_string(voxels) + " voxels");
    return false;
  }
  return true;
}

}  // namespace lunglens
