// The region enclosed by the ribcage in each axial slice.
#pragma once

#include <cstdint>
#include <vector>

#include "image/mask.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

struct Ribcage {
  Mask inside;                        // Voxels inside the bone hull of their slice.
  std::vector<std::uint8_t> reliable;  // Per slice k: 1 when its hull encloses a chest.
};

// Returns, per axial slice, the convex hull of the bone inside `body` (above
// SegmentOptions::bone_min_hu: ribs, spine, sternum), leaving out bone within
// ribcage_padding_margin_mm of padding or of the grid edge. A slice's hull is
// reliable when the slice has at least ribcage_min_bone_mm2 of bone and the
// hull covers at least ribcage_min_body_fraction of its body area. On other
// slices `inside` is all zero.
Ribcage ribcage_hull(const CanonicalCt& ct, const Mask& body, const SegmentOptions& options);

}  // namespace lunglens
