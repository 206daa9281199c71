// Plausibility check that a volume is in Hounsfield units before segmenting it.
#pragma once

#include <optional>

#include "diagnostics/diagnostic.h"
#include "segment/canonical_ct.h"

namespace lunglens {

// Returns an error diagnostic when the voxels do not look like HU: a chest or
// abdominal CT has air near -1000 HU (around the body, in the lungs or bowel)
// and a soft-tissue peak near 0..100 HU. Data stored without its rescale
// (e.g. HU + 1024) has neither. Padding and values below -1200 HU (outside
// the reconstruction circle, e.g. -2048 or -3024 HU) are ignored.
std::optional<Diagnostic> check_hounsfield_units(const CanonicalCt& ct);

}  // namespace lunglens
