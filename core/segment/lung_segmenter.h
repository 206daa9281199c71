// Classical lung, airway and lesion segmentation of a chest CT in HU.
#pragma once

#include <functional>

#include "segment/lung_labels.h"
#include "segment/segment_options.h"
#include "volume/volume.h"

namespace lunglens {

// Segments the lungs (right/left decided in patient coordinates), the trachea
// and main bronchi, and GGO and consolidation inside the lungs. The result
// is on the grid of `volume`. Never throws for bad data: data that is not in
// HU gives an error diagnostic (suspicious_hu_range), and a volume without a
// lung gives lungs_found = false with a no_lung_found diagnostic that gives the reason.
//
// Steps, on the canonical grid (see volume/reorient.h):
//  1. HU plausibility check.
//  2. Body outline per slice (table, clothing and outside air excluded).
//  3. Air inside the body; its 3D components of lung size and lung density
//     (not pure gas) are the lung candidates.
//  4. Trachea and main bronchi tracked from the upper slices, then removed.
//  5. Right/left split (separate components, or erosion until two cores).
//  6. Each lung extended to the pleura over dense surface lesions, holes filled.
//  7. GGO and consolidation with vessels removed.
//
// `progress`, when set, is called with (step, kSegmentSteps) after each step;
// returning false stops the segmentation with a "cancelled" error.
inline constexpr int kSegmentSteps = 7;
using SegmentProgress = std::function<bool(int, int)>;
LungSegmentation segment_lungs(const HuVolume& volume, const SegmentOptions& options = {},
                               const SegmentProgress& progress = {});

}  // namespace lunglens
