// Ground-glass opacity and consolidation inside the lungs.
#pragma once

#include <vector>

#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

// Returns LesionLabel per voxel of the canonical grid, non-zero only where
// `lungs` contains a lung label. GGO runs from the threshold of its lung and
// anterior-posterior band up to consolidation_min_hu and is opened in-plane
// by vessel_radius_mm (vessel rims, airway walls). Consolidation (up to
// consolidation_max_hu) must lie near a core wider than
// 2 x consolidation_core_radius_mm in-plane, which intrapulmonary vessels
// are not. Components under min_lesion_ml are dropped.
// NOTE: consolidation narrower than about 14 mm in-plane is not reported,
// because this test cannot separate it from a vessel of that width.
std::vector<std::uint8_t> detect_lesions(const std::vector<std::uint8_t>& lungs, const CanonicalCt& ct,
                                         const SegmentOptions& options);

}  // namespace lunglens
