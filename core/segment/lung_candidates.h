// Selection of the air components inside the body that are lung.
#pragma once

#include <string>

#include "image/connected_components.h"
#include "image/mask.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

struct LungCandidates {
  RunComponents components;    // All components of the air mask.
  std::vector<std::uint8_t> keep;  // Per component id: 1 when selected (lungs with the airways connected to them).
  IndexBox box;                // Bounding box of the selected components.
  int count = 0;               // Number of selected components.
  std::string reason;          // Reason nothing was selected, when count is 0.

  // Returns the mask of the selected components inside `part`, a box of the labelled grid.
  Mask mask_in(const IndexBox& part) const;
};

// Labels the non-zero voxels of `air` (air inside the body, 6-connected) and keeps components of lung
// size (SegmentOptions::min_lung_area_mm2 times the craniocaudal extent,
// capped at min_lung_volume_ml) that are not gas (gas_max_fraction of voxels
// below gas_hu, or anterior_gas_max_fraction below anterior_gas_hu for a
// component that stays in the anterior half of `body`). Air touching the body outline cannot occur: the body mask
// has its holes filled, so air inside it is enclosed.
LungCandidates select_lung_candidates(const Mask& air, const Mask& body, const CanonicalCt& ct,
                                      const SegmentOptions& options);

}  // namespace lunglens
