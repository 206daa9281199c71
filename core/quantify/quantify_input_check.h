// Input checks of quantify(), kept apart from the measuring passes.
#pragma once

#include "diagnostics/diagnostic.h"
#include "segment/lung_labels.h"
#include "volume/volume.h"

namespace lunglens {

// Returns true when `volume` and `segmentation` describe the same grid and
// every buffer contains one value per voxel. Otherwise it appends an
// invalid_argument error naming the first fault and returns false.
bool check_quantify_inputs(const HuVolume& volume, const LungSegmentation& segmentation,
                           Diagnostics& diagnostics);

}  // namespace lunglens
