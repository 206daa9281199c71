// Synthetic chest CT with exact ground truth, for tests, benchmarks and the
// demo. Anatomy is built from analytic shapes in patient coordinates (mm), so
// the same phantom can be sampled on any grid and in any patient position.
#pragma once

#include <cstdint>
#include <string>

#include "volume/volume.h"

namespace lunglens {

enum class PatientPosition { hfs, ffs, hfp };

// Ground-truth labels, one per voxel.
enum class PhantomLabel : std::uint8_t {
  outside = 0,        // Air around the body, table, padding.
  body = 1,           // Soft tissue, fat, muscle, bone, heart, vessels outside the lungs.
  right_lung = 2,     // Aerated lung parenchyma and intrapulmonary vessels, right.
  left_lung = 3,
  airway = 4,         // Trachea and main bronchi down to and including the carina.
  ggo_right = 5,      // Ground-glass opacity inside the right lung.
  ggo_left = 6,
  consolidation_right = 7,
  consolidation_left = 8,
  table = 9,
};

struct PhantomOptions {
  int matrix = 256;                  // Rows = columns.
  double pixel_spacing_mm = 1.5;
  double slice_thickness_mm = 2.5;   // Also the slice step.
  double z_extent_mm = 300.0;        // Craniocaudal coverage.
  PatientPosition position = PatientPosition::hfs;
  double noise_sd_hu = 15.0;         // Gaussian noise, 0 for none.
  bool circular_fov_padding = true;  // Voxels outside the reconstruction circle become padding.
  double lesion_load = 1.0;          // Scales lesion sizes; 0 gives lungs without lesions.
  std::uint32_t seed = 1;
};

struct PhantomTruth {
  // Volumes in mL of each label class, computed on the sampled grid (the
  // same voxels that `labels` marks), so tests compare like with like.
  double right_lung_ml = 0.0;  // Lung mask truth: parenchyma plus lesions inside that lung.
  double left_lung_ml = 0.0;
  double airway_ml = 0.0;
  double ggo_right_ml = 0.0;
  double ggo_left_ml = 0.0;
  double consolidation_right_ml = 0.0;
  double consolidation_left_ml = 0.0;
};

struct Phantom {
  HuVolume volume;  // On the acquisition grid of the requested patient position.
  std::vector<std::uint8_t> labels;  // PhantomLabel per voxel, same grid as volume.
  PhantomTruth truth;
};

// Generates the phantom. Deterministic for given options.
Phantom generate_chest_phantom(const PhantomOptions& options);

std::string patient_position_code(PatientPosition position);  // "HFS", "FFS", "HFP".

}  // namespace lunglens
