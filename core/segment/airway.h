// Trachea and main bronchi: found as a tubular air region near the midline in
// the upper slices and tracked downward past the carina.
#pragma once

#include "image/mask.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

struct AirwayResult {
  Mask airway;                 // Lumen plus its partial-volume rim, canonical grid.
  bool found = false;
  std::int64_t top_slice = -1;     // Canonical k of the seed.
  std::int64_t carina_slice = -1;  // First slice with two branches; -1 when not reached.
};

// Seeds in the highest slice of the upper half of `lungs` (the selected lung
// air components) that contains a round lumen (below airway_lumen_max_hu, area
// within the trachea limits, near the midline of `body`). Tracks it slice by
// slice downward: a lumen region of the next slice that overlaps the tracked
// one joins it unless it grows to more than twice its parent's area plus
// 100 mm^2, which marks a leak into the lung and ends that branch.
AirwayResult find_airway(const CanonicalCt& ct, const Mask& lungs, const Mask& body, const Mask& air,
                         const SegmentOptions& options);

}  // namespace lunglens
