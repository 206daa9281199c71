// Slice order, slice step and volume grid of one group of frames that share
// orientation, matrix and pixel spacing.
#pragma once

#include <vector>

#include "dicom/file_header.h"
#include "dicom/series_scan.h"

namespace lunglens {

// One frame waiting to be placed in a volume.
struct FrameRef {
  const FileHeader* file = nullptr;
  const FrameHeader* frame = nullptr;
};

// Sorts `frames` by the projection of ImagePositionPatient on the slice
// normal (row cosines x column cosines), derives the slice step as the median
// projection difference, and fills series.slices, geometry, slice_step_mm,
// uniform_step, gantry tilt, missing_grid_indices and their diagnostics.
// The frames must not share a position (duplicates are resolved before).
void lay_out_slices(std::vector<FrameRef> frames, SeriesInfo& series);

// Returns the slice normal (row x column cosines) of a frame.
Vec3 slice_normal(const FrameHeader& frame);

}  // namespace lunglens
