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
  // min_lung_area_mm2 (a lung section near the apex or base is smaller, but
  // the component then reaches this area in other slices) and its volume is
  // at least min_component_fraction of the largest component. Bowel gas and
  // small false positives below the diaphragm fail these tests.
  double min_lung_area_mm2 = 500.0;
  double min_component_fraction = 0.1;

  // A lung component with at least this fraction of its voxels on one side of
  // the midline goes wholly to that lung; others are cut at the midline. The
  // same fraction of all lung voxels on one side of the scan centre means
  // only one lung is in view.
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
// interpolated bilinearly; positions outside the grid take the nearest edge value.
float sample_grid_bilinear(std::span<const float> grid, double u, double v);

// Builds the lung and lesion labels of `volume` from the model outputs:
// `lung_probability` and `lesion_probability` hold slices x 256 x 256 values,
// slice by slice, as neural_input_batch lays out the input.
//
// Steps: resample both maps to every CT voxel and threshold them; keep the
// 3D face-connected lung components that pass the size tests; split them
// into right and left lung at the LPS x midpoint of the kept lung's extent
// (at the scan centre when all lung lies on one side of it);
// keep infection only inside the kept lung and label it by HU. Padding voxels
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
