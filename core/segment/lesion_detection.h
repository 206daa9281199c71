// Ground-glass opacity and consolidation inside the lungs.
#pragma once

#include <vector>

#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

// Returns LesionLabel per voxel of the canonical grid, non-zero only where
// `lungs` holds a lung label. Dense lung (from the GGO threshold of its lung
// and anterior-posterior band up to consolidation_max_hu) is opened in-plane
// by vessel_radius_mm to drop vessels and airway walls, and components under
// min_lesion_ml are dropped; the rest is GGO below consolidation_min_hu and
// consolidation from there up.
std::vector<std::uint8_t> detect_lesions(const std::vector<std::uint8_t>& lungs, const CanonicalCt& ct,
                                         const SegmentOptions& options);

}  // namespace lunglens
