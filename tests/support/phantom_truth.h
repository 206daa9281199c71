// Ground truth of the synthetic chest phantom for tests: its labels as a
// LungSegmentation and per LPS position, and a small phantom that generates fast.
#pragma once

#include "phantom/chest_phantom.h"
#include "segment/lung_labels.h"

namespace lunglens::test {

// Maps PhantomLabel values onto LungLabel and LesionLabel (airway included).
LungSegmentation segmentation_from_phantom_truth(const Phantom& phantom);

// Returns the label at the voxel nearest to an LPS point (mm), or outside
// when the point is off the grid.
PhantomLabel phantom_label_at(const Phantom& phantom, const Vec3& lps);

// Returns options for a 128 x 128 phantom of 3 mm pixels and 5 mm slices.
PhantomOptions small_phantom_options(PatientPosition position);

}  // namespace lunglens::test
