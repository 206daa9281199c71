#include "segment/neural_output.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "image/connected_components.h"
#include "parallel/parallel_for.h"
#include "segment/neural_input.h"

namespace lunglens {
namespace {

struct ThresholdedMaps {
  Mask lung;
  Mask lesion;
};

ThresholdedMaps threshold_on_ct_grid(const HuVolume& volume, std::span<const float> lung_probability,
                                     std::span<const float> lesion_probability, float threshold) {
  const Geometry& geometry = volume.geometry;
  const NeuralSliceMapping mapping = neural_slice_mapping(geometry);
  ThresholdedMaps maps{Mask(static_cast<std::size_t>(geometry.voxel_count()), 0),
                       Mask(static_cast<std::size_t>(geometry.voxel_count()), 0)};

  parallel_for(0, geometry.size[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k) {
      const auto lung_slice = lung_probability.subspan(static_cast<std::size_t>(k * kNeuralGridPixels),
                                                       static_cast<std::size_t>(kNeuralGridPixels));
      const auto lesion_slice = lesion_probability.subspan(static_cast<std::size_t>(k * kNeuralGridPixels),
                                                           static_cast<std::size_t>(kNeuralGridPixels));
      for (std::int64_t j = 0; j < geometry.size[1]; ++j) {
        const double v = mapping.grid_v(static_cast<double>(j));
        for (std::int64_t i = 0; i < geometry.size[0]; ++i) {
          const std::int64_t index = geometry.linear_index(i, j, k);
          if (volume.is_padding(index)) continue;
          const double u = mapping.grid_u(static_cast<double>(i));
          maps.lung[index] = sample_grid_bilinear(lung_slice, u, v) >= threshold ? 1 : 0;
          maps.lesion[index] = sample_grid_bilinear(lesion_slice, u, v) >= threshold ? 1 : 0;
        }
      }
    }
  });
  return maps;
}

// Returns the lung components that pass the area, volume and density tests.
Mask keep_lung_components(const HuVolume& volume, const Mask& lung, const NeuralOutputOptions& options) {
  const Geometry& geometry = volume.geometry;
  const Components components = label_components(lung, geometry, Connectivity::face);
  const std::int32_t count = components.count();
  Mask kept(lung.size(), 0);
  if (count == 0) return kept;

  // Largest axial cross-section of each component, in voxels.
  std::vector<std::int64_t> max_slice_voxels(static_cast<std::size_t>(count) + 1, 0);
  std::vector<std::int64_t> slice_voxels(static_cast<std::size_t>(count) + 1, 0);
  const std::int64_t slice_size = geometry.size[0] * geometry.size[1];
  for (std::int64_t k = 0; k < geometry.size[2]; ++k) {
    std::fill(slice_voxels.begin(), slice_voxels.end(), 0);
    for (std::int64_t p = 0; p < slice_size; ++p) ++slice_voxels[components.labels[k * slice_size + p]];
    for (std::int32_t c = 1; c <= count; ++c) max_slice_voxels[c] = std::max(max_slice_voxels[c], slice_voxels[c]);
  }

  std::vector<std::int64_t> aerated_voxels(static_cast<std::size_t>(count) + 1, 0);
  std::vector<std::int64_t> gas_voxels(static_cast<std::size_t>(count) + 1, 0);
  for (std::size_t v = 0; v < lung.size(); ++v) {
    const std::int32_t label = components.labels[v];
    if (label == 0) continue;
    const float hu = volume.hu_at(static_cast<std::int64_t>(v));
    if (hu < options.aerated_max_hu) ++aerated_voxels[label];
    if (hu < options.gas_hu) ++gas_voxels[label];
  }

  const double pixel_area_mm2 = geometry.spacing_mm[0] * geometry.spacing_mm[1];
  const std::int64_t largest = *std::max_element(components.sizes.begin() + 1, components.sizes.end());
  std::vector<std::uint8_t> keep(static_cast<std::size_t>(count) + 1, 0);
  for (std::int32_t c = 1; c <= count; ++c) {
    const bool large_section = static_cast<double>(max_slice_voxels[c]) * pixel_area_mm2 >= options.min_lung_area_mm2;
    const bool large_volume = static_cast<double>(components.sizes[c]) >= options.min_component_fraction * static_cast<double>(largest);
    const auto size = static_cast<double>(components.sizes[c]);
    const bool aerated = static_cast<double>(aerated_voxels[c]) >= options.min_aerated_fraction * size;
    const bool gas = static_cast<double>(gas_voxels[c]) > options.gas_max_fraction * size;
    keep[c] = large_section && large_volume && aerated && !gas ? 1 : 0;
  }
  for (std::size_t v = 0; v < lung.size(); ++v) kept[v] = keep[components.labels[v]];
  return kept;
}

double lps_x(const Geometry& geometry, double i, double j, double k) {
  return geometry.origin_mm[0] + i * geometry.spacing_mm[0] * geometry.axes[0][0] +
         j * geometry.spacing_mm[1] * geometry.axes[1][0] + k * geometry.spacing_mm[2] * geometry.axes[2][0];
}

double lps_x(const Geometry& geometry, std::int64_t i, std::int64_t j, std::int64_t k) {
  return lps_x(geometry, static_cast<double>(i), static_cast<double>(j), static_cast<double>(k));
}

// Returns the LPS x of the plane between the lungs. Patients lie near the
// scan centre (the isocentre). With lung on both sides of it, the plane is at
// the midpoint of the lung's x extent. With lung on one side only (one lung,
// or one lung in view), the plane is at the scan centre, so that lung is not cut.
double midline_x(const Mask& kept, const Geometry& geometry, const NeuralOutputOptions& options) {
  const double center_x = lps_x(geometry, 0.5 * static_cast<double>(geometry.size[0] - 1),
                                0.5 * static_cast<double>(geometry.size[1] - 1),
                                0.5 * static_cast<double>(geometry.size[2] - 1));
  double min_x = std::numeric_limits<double>::infinity();
  double max_x = -std::numeric_limits<double>::infinity();
  std::int64_t left = 0, total = 0;
  for (std::int64_t k = 0; k < geometry.size[2]; ++k)
    for (std::int64_t j = 0; j < geometry.size[1]; ++j)
      for (std::int64_t i = 0; i < geometry.size[0]; ++i) {
        if (!kept[geometry.linear_index(i, j, k)]) continue;
        const double x = lps_x(geometry, i, j, k);
        min_x = std::min(min_x, x);
        max_x = std::max(max_x, x);
        left += x > center_x ? 1 : 0;
        ++total;
      }
  const double left_fraction = static_cast<double>(left) / static_cast<double>(std::max<std::int64_t>(total, 1));
  const bool one_side = left_fraction >= options.single_side_fraction || left_fraction <= 1.0 - options.single_side_fraction;
  return one_side ? center_x : 0.5 * (min_x + max_x);
}

// Labels each kept lung voxel right_lung or left_lung. LPS +x points to the
// patient's left, so voxels beyond the midline are left lung.
void split_left_right(const Mask& kept, const Geometry& geometry, const NeuralOutputOptions& options,
                      std::vector<std::uint8_t>& labels) {
  const double midline = midline_x(kept, geometry, options);

  const Components components = label_components(kept, geometry, Connectivity::face);
  std::vector<std::int64_t> left_voxels(components.sizes.size(), 0);
  for (std::int64_t k = 0; k < geometry.size[2]; ++k)
    for (std::int64_t j = 0; j < geometry.size[1]; ++j)
      for (std::int64_t i = 0; i < geometry.size[0]; ++i) {
        const std::int32_t label = components.labels[geometry.linear_index(i, j, k)];
        if (label > 0 && lps_x(geometry, i, j, k) > midline) ++left_voxels[label];
      }

  for (std::int64_t k = 0; k < geometry.size[2]; ++k)
    for (std::int64_t j = 0; j < geometry.size[1]; ++j)
      for (std::int64_t i = 0; i < geometry.size[0]; ++i) {
        const std::int64_t index = geometry.linear_index(i, j, k);
        const std::int32_t label = components.labels[index];
        if (label == 0) continue;
        const double left_fraction =
            static_cast<double>(left_voxels[label]) / static_cast<double>(components.sizes[label]);
        bool left = lps_x(geometry, i, j, k) > midline;
        if (left_fraction >= options.single_side_fraction) left = true;
        if (left_fraction <= 1.0 - options.single_side_fraction) left = false;
        labels[index] = static_cast<std::uint8_t>(left ? LungLabel::left_lung : LungLabel::right_lung);
      }
}

LesionLabel lesion_label_for(float hu, const NeuralOutputOptions& options) {
  if (hu < options.ggo_min_hu || hu > options.consolidation_max_hu) return LesionLabel::none;
  return hu < options.consolidation_min_hu ? LesionLabel::ground_glass : LesionLabel::consolidation;
}

}  // namespace

float sample_grid_bilinear(std::span<const float> grid, double u, double v) {
  const double max_coordinate = static_cast<double>(kNeuralGridSize - 1);
  u = std::clamp(u, 0.0, max_coordinate);
  v = std::clamp(v, 0.0, max_coordinate);
  const auto u0 = static_cast<std::int64_t>(u);
  const auto v0 = static_cast<std::int64_t>(v);
  const std::int64_t u1 = std::min<std::int64_t>(u0 + 1, kNeuralGridSize - 1);
  const std::int64_t v1 = std::min<std::int64_t>(v0 + 1, kNeuralGridSize - 1);
  const double wu = u - static_cast<double>(u0);
  const double wv = v - static_cast<double>(v0);
  const double top = grid[v0 * kNeuralGridSize + u0] * (1.0 - wu) + grid[v0 * kNeuralGridSize + u1] * wu;
  const double bottom = grid[v1 * kNeuralGridSize + u0] * (1.0 - wu) + grid[v1 * kNeuralGridSize + u1] * wu;
  return static_cast<float>(top * (1.0 - wv) + bottom * wv);
}

LungSegmentation neural_segmentation(const HuVolume& volume, std::span<const float> lung_probability,
                                     std::span<const float> lesion_probability, const NeuralOutputOptions& options) {
  LungSegmentation segmentation;
  segmentation.geometry = volume.geometry;
  const Geometry& geometry = volume.geometry;
  const auto expected = static_cast<std::size_t>(geometry.size[2] * kNeuralGridPixels);
  if (volume.voxel_count() <= 0 || lung_probability.size() != expected || lesion_probability.size() != expected) {
    segmentation.diagnostics.push_back(
        {DiagnosticCode::invalid_argument, Severity::error, "",
         "neural output: expected " + std::to_string(expected) + " probabilities per model (" +
             std::to_string(geometry.size[2]) + " slices of 256 x 256), got " +
             std::to_string(lung_probability.size()) + " lung and " + std::to_string(lesion_probability.size()) +
             " lesion values"});
    return segmentation;
  }

  const ThresholdedMaps maps = threshold_on_ct_grid(volume, lung_probability, lesion_probability,
                                                    options.probability_threshold);
  const Mask kept = keep_lung_components(volume, maps.lung, options);
  segmentation.lungs.assign(kept.size(), static_cast<std::uint8_t>(LungLabel::background));
  segmentation.lesions.assign(kept.size(), static_cast<std::uint8_t>(LesionLabel::none));
  if (std::none_of(kept.begin(), kept.end(), [](std::uint8_t v) { return v != 0; })) {
    segmentation.diagnostics.push_back(
        {DiagnosticCode::no_lung_found, Severity::error, "",
         "neural engine: no predicted lung region has a cross-section of at least " +
             std::to_string(static_cast<int>(options.min_lung_area_mm2)) + " mm2 with lung density (at least " +
             std::to_string(static_cast<int>(100.0 * options.min_aerated_fraction)) + " % of it below " +
             std::to_string(static_cast<int>(options.aerated_max_hu)) + " HU)"});
    return segmentation;
  }
  segmentation.lungs_found = true;

  split_left_right(kept, geometry, options, segmentation.lungs);
  const bool has_right = std::count(segmentation.lungs.begin(), segmentation.lungs.end(),
                                    static_cast<std::uint8_t>(LungLabel::right_lung)) > 0;
  const bool has_left = std::count(segmentation.lungs.begin(), segmentation.lungs.end(),
                                   static_cast<std::uint8_t>(LungLabel::left_lung)) > 0;
  if (!has_right || !has_left)
    segmentation.diagnostics.push_back({DiagnosticCode::single_lung, Severity::warning, "",
                                        std::string("neural engine: lung predicted only on the patient's ") +
                                            (has_left ? "left" : "right") + " side"});

  for (std::size_t v = 0; v < kept.size(); ++v) {
    if (!kept[v] || !maps.lesion[v]) continue;
    segmentation.lesions[v] = static_cast<std::uint8_t>(lesion_label_for(volume.hu_at(static_cast<std::int64_t>(v)), options));
  }
  return segmentation;
}

}  // namespace lunglens
