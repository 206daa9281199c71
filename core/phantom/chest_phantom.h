// Synthetic chest CT with exact ground truth, for tests, benchmarks and the
// demo. Anatomy is built from analytic shapes in patient coordinates (mm), so
// the same phantom can be sampled on any grid and in any patient position.
#pragma once

#include <cstdint>
#include <string>

#include "volume/geometry.h"
#include "volume/volume.h"

namespace lunglens {

// Patient position on the table. The anatomy is the same in LPS for all three,
// so the left lung is always at +x. The position sets the IOP a scanner writes
// for it and the side of the table. Slices run along the slice normal
// (axes[2] = axes[0] x axes[1]) because load_series returns a series in that
// order, so a written and reloaded phantom has the very same grid:
//   HFS: IOP 1\0\0\0\1\0,   slices from feet to head, table posterior.
//   FFS: IOP -1\0\0\0\1\0,  slices from head to feet, table posterior.
//   HFP: IOP -1\0\0\0\-1\0, slices from feet to head, table anterior (prone).
enum class PatientPosition { hfs, ffs, hfp };

// Ground-truth labels, one per voxel.
enum class PhantomLabel : std::uint8_t {
  outside = 0,        // Air around the body and table, and padding.
  body = 1,           // Soft tissue, fat, muscle, bone, heart, vessels outside the lungs, gastric gas.
  right_lung = 2,     // Aerated lung parenchyma, intrapulmonary vessels and bronchial walls, right.
  left_lung = 3,
  airway = 4,         // Air lumen of the trachea and both main bronchi, also where they run inside a lung.
  ggo_right = 5,      // Ground-glass opacity inside the right lung; vessels crossing it stay right_lung.
  ggo_left = 6,
  consolidation_right = 7,
  consolidation_left = 8,
  table = 9,
};

// Valid ranges are checked by generate_chest_phantom.
struct PhantomOptions {
  int matrix = 256;                  // Rows = columns, 16..2048.
  double pixel_spacing_mm = 1.5;     // 0.1..10 mm; field of view = matrix x spacing.
  double slice_thickness_mm = 2.5;   // Also the slice step, 0.1..20 mm.
  double z_extent_mm = 300.0;        // Craniocaudal coverage centred on z = 0, 1..1000 mm.
  PatientPosition position = PatientPosition::hfs;
  double noise_sd_hu = 15.0;         // Gaussian noise, 0 for none, at most 500 HU.
  bool circular_fov_padding = true;  // Voxels outside the reconstruction circle become padding.
  double lesion_load = 1.0;          // Scales lesion volumes about linearly, 0..8; 0 gives lungs without lesions.
  std::uint32_t seed = 1;            // Seeds the image noise only; the anatomy is fixed.
};

struct PhantomTruth {
  // Volumes in mL of each label class, computed on the sampled grid (the
  // same voxels that `labels` marks), so tests compare like with like.
  double right_lung_ml = 0.0;  // Lung mask truth: parenchyma, vessels and lesions inside that lung.
  double left_lung_ml = 0.0;
  double airway_ml = 0.0;
  double ggo_right_ml = 0.0;
  double ggo_left_ml = 0.0;
  double consolidation_right_ml = 0.0;
  double consolidation_left_ml = 0.0;
};

struct Phantom {
  // On the acquisition grid of the requested patient position, int16 HU in
  // -1024..3071. Voxels outside the circular field of view are -1024 HU and
  // flagged in padding_mask (empty when circular_fov_padding is off).
  HuVolume volume;
  std::vector<std::uint8_t> labels;  // PhantomLabel per voxel, same grid as volume; sampled at voxel centres.
  PhantomTruth truth;
};

// Generates the phantom. Deterministic for given options, whatever the thread
// count. Throws std::invalid_argument naming the option that is out of range.
Phantom generate_chest_phantom(const PhantomOptions& options);

// Returns the acquisition grid of the phantom: centred on the LPS origin,
// with the IOP and slice order of the patient position.
Geometry phantom_acquisition_geometry(const PhantomOptions& options);

std::string patient_position_code(PatientPosition position);  // "HFS", "FFS", "HFP".

}  // namespace lunglens
