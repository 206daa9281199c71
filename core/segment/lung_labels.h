// Label values of the segmentation produced by core/segment and read by
// core/quantify, the report and the viewer overlays. One byte per voxel on the
// grid of the HU volume it was computed from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "volume/geometry.h"

namespace lunglens {

enum class LungLabel : std::uint8_t {
  background = 0,
  right_lung = 1,           // Lung parenchyma (incl. vessels and lesions) of the patient's right lung.
  left_lung = 2,
  airway = 3,               // Trachea and main bronchi down to the carina, excluded from the lungs.
};

enum class LesionLabel : std::uint8_t {
  none = 0,
  ground_glass = 1,         // GGO.
  consolidation = 2,
};

// Density bands of lung parenchyma.
enum class DensityBand : std::uint8_t {
  emphysema = 0,       // < -950 HU
  well_aerated = 1,    // -950 .. -700 HU
  poorly_aerated = 2,  // -700 .. -500 HU
  non_aerated = 3,     // >= -500 HU
};

struct LungSegmentation {
  Geometry geometry;                  // Same grid as the input HU volume.
  std::vector<std::uint8_t> lungs;    // LungLabel per voxel.
  std::vector<std::uint8_t> lesions;  // LesionLabel per voxel, non-zero only inside a lung.
  bool lungs_found = false;           // False gives "no lung found" (diagnostic says why).
  Diagnostics diagnostics;
};

}  // namespace lunglens
