// Post-processing of the neural lung and lesion models: probability maps on
// the 256x256 model grid of each slice become LungLabel and LesionLabel
// masks on the CT grid. The models know one lung label for both lungs and one
// infection label, so left/right and GGO/consolidation are derived here.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "segment/lung_labels.h"
#include "volume/volume.h"

namespace lunglens {

struct NeuralOutputOptions {
  // A voxel belongs to the lung (or the infection) when the probability,
  // interpolated bilinearly from the model grid, is at least this value.
  float probability_threshold = 0.5f;

  // A lung component is kept when its largest axial cross-section reaches
  // min_lung_area_mm2 and its volume is at least min_component_fraction of
  // the largest component. Sections near the apex or base are smaller, but an
  // adult lung's largest section exceeds 10000 mm2, so the whole component
  // passes. A single slice with only a sliver of lung base gives no lung.
  double min_lung_area_mm2 = 1500.0;
  double min_component_fraction = 0.1;

  // The models were trained on slices that all show lung, so they also mark
  // soft tissue and bowel of the upper abdomen as lung. Lung, even with
  // extensive COVID-19 consolidation, stays partly aerated, so a kept
  // component needs at least min_aerated_fraction of its voxels below
  // aerated_max_hu (-500 HU is about midway between aerated lung and soft
  // tissue). One with more than gas_max_fraction of its voxels below gas_hu
  // is bowel or stomach gas: aerated lung is about -850 HU.
  // NOTE: severe emphysema can put more than 30 % of a lung below -950 HU.
  // Such a lung would be rejected as gas. No emphysema scan was tested.
  float aerated_max_hu = -500.0f;
  double min_aerated_fraction = 0.1;
  float gas_hu = -950.0f;
  double gas_max_fraction = 0.3;

  // A lung component with at least this fraction of its voxels on one side of
  // the midline goes wholly to that lung, and the others are cut at the
  // midline. The same fraction of all lung voxels on one side of the scan
  // centre means that only one lung is in view.
  double single_side_fraction = 0.9;

  // Predicted infection voxels are GGO from ggo_min_hu up to
  // consolidation_min_hu and consolidation from there up to
  // consolidation_max_hu (the usual COVID-19 quantitative CT ranges, as the
  // classical engine uses them). Outside these ranges they are not counted:
  // aerated lung below, bone and calcification above.
  float ggo_min_hu = -750.0f;
  float consolidation_min_hu = -300.0f;
  float consolidation_max_hu = 150.0f;
};

// Returns the value at continuous grid position (u, v) of one 256x256 map,
// interpolated bilinearly. Positions outside the grid take the nearest edge value.
float sample_grid_bilinear(std::span<const float> grid, double u, double v);

// Builds the lung and lesion labels of `volume` from the model outputs:
// `lung_probability` and `lesion_probability` hold slices x 256 x 256 values,
// slice by slice, as neural_input_batch lays out the input.
//
// Steps: resample both maps to every CT voxel and threshold them. Keep the
// 3D face-connected lung components that pass the size and density tests.
// Split them into right and left lung at the LPS x midpoint of the kept
// lung's extent, or at the scan centre when all lung lies on one side of it.
// Keep infection only inside the kept lung and label it by HU. Padding voxels
// are never lung. There is no airway label: the trachea and main bronchi are
// background unless the model includes them in the lung.
//
// Never throws for bad input: maps of the wrong length give an
// invalid_argument error, no lung component gives no_lung_found (lungs_found
// false), and a lung on one side only gives a single_lung warning.
LungSegmentation neural_segmentation(const HuVolume& volume, std::span<const float> lung_probability,
                                     std::span<const float> lesion_probability,
                                     const NeuralOutputOptions& options = {});

}  // namespace lunglens
