// Separation of the lung air mask into right and left lung.
#pragma once

#include <string>
#include <vector>

#include "image/mask.h"
#include "segment/canonical_ct.h"

namespace lunglens {

struct LungSplit {
  std::vector<std::uint8_t> labels;  // LungLabel right_lung / left_lung / background, canonical grid.
  int lung_count = 0;                // 2, or 1 when only one lung could be found.
  std::string note;                  // Reason only one lung was found, when lung_count is 1.
};

// Splits `lungs` (air of both lungs, airways removed). Two components of
// comparable size are the two lungs. One component (lungs touching at the
// anterior or posterior junction) is eroded, on about 3 mm blocks, until it
// falls apart into two; every voxel then goes to the nearer of the two cores.
// Sides are decided on the canonical grid, where +i is the patient's left
// (+x in LPS). A single lung takes its side from the body midline `body`.
LungSplit split_lungs(const Mask& lungs, const Mask& body, const CanonicalCt& ct);

}  // namespace lunglens
