// Makes each lung mask follow the pleura rather than the air threshold: dense
// lesions at the lung surface, vessels and enclosed consolidation join the lung.
#pragma once

#include <vector>

#include "image/mask.h"
#include "segment/body_mask.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

// Refines `labels` (right/left lung air, canonical grid) in place. For each
// lung and each axial slice, a closing of pleural_closing_radius_mm on about
// 3 mm blocks proposes voxels, and a proposed block is kept only when the
// same lung lies within enclosure_ray_mm in at least min_enclosing_directions
// of 8 directions (so the heart, bordered by lung on one side, is not taken).
// Then gaps of up to costal_gap_mm between lung voxels of a craniocaudal
// column join the lung inside `chest_wall` (lesions on the costal pleura).
// Added voxels must be inside `body`, at most pleural_max_hu and not `airway`
// or the other lung. Then the holes of each lung in each slice are filled
// (vessels, nodules) whatever their density, and added regions that continue
// into the mediastinum or abdomen in the next slice are removed again.
void refine_to_pleura(std::vector<std::uint8_t>& labels, const CanonicalCt& ct, const Mask& body,
                      const ChestWallZone& chest_wall, const Mask& airway, const SegmentOptions& options);

}  // namespace lunglens
