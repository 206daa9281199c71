// Paints one axial slice of the phantom on the canonical grid (i towards
// patient left, j towards posterior, k towards head): base anatomy, then
// mediastinal tubes, airways, lesions and vessels, then image noise and the
// field-of-view padding.
#pragma once

#include <cstdint>
#include <vector>

#include "phantom/phantom_anatomy.h"
#include "volume/geometry.h"

namespace lunglens::phantom {

struct SliceSettings {
  Geometry grid;                    // Canonical grid: identity axes.
  TableSide table_side = TableSide::posterior;
  std::vector<Lesion> lesions;
  double noise_sd_hu = 0.0;
  std::uint32_t noise_seed = 0;
  bool fov_padding = true;
  double fov_radius_mm = 0.0;       // Reconstruction circle around the grid centre.
};

// Writes slice k into hu (HU, clamped to -1024..3071), labels (PhantomLabel)
// and padding (1 outside the field of view), each of nx * ny values.
void paint_slice(const SliceSettings& settings, std::int64_t k, std::int16_t* hu, std::uint8_t* labels,
                 std::uint8_t* padding);

}  // namespace lunglens::phantom
