// Body outline: the patient without the table, clothing, air around the body and padding.
#pragma once

#include "image/mask.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

// Returns, per axial slice, the largest tissue region (above
// SegmentOptions::body_threshold_hu, padding excluded) after a 4 mm opening
// that cuts thin bridges to the table, closed by 8 mm and with its holes
// (lungs, airways, bowel gas) filled. Works on about 4 mm in-plane blocks.
Mask body_mask(const CanonicalCt& ct, const SegmentOptions& options);

// Returns the voxels of `body` within SegmentOptions::chest_wall_depth_mm of
// the body surface in their axial slice: the chest wall and the costal
// pleura, but not the hila, the mediastinum or the liver dome. Works on about
// 4 mm in-plane blocks.
Mask chest_wall_zone(const Mask& body, const Geometry& geometry, const SegmentOptions& options);

}  // namespace lunglens
