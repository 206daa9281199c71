// First pass over the input: read every file's header (never Pixel Data),
// classify it, and group the image frames into volumes.
//
// Slices are sorted by the projection of ImagePositionPatient on the slice
// normal (row cosines x column cosines), never by InstanceNumber or file
// name, and the slice step is the median difference of those projections.
// Two choices shape the grid of each SeriesInfo:
// - Gantry tilt: the shear is carried, not resampled. Geometry::axes[2] is
//   the unit vector from the first to the last IPP, which is not orthogonal
//   to the image plane, and a gantry_tilt warning gives the angle in degrees.
// - Missing slices (a step of k x the median step, k > 1): the grid stays
//   uniform. The k - 1 missing slices are listed in missing_grid_indices,
//   load_series fills them with kPaddingHu (-1024 HU) and flags them in the
//   padding mask, and a missing_slice warning gives where and how many.
// Steps that are not near a whole multiple of the median (over 10 % off)
// make the series non-uniform: its slices are stacked in order at the median
// step and a nonuniform_slice_step warning is given.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "dicom/file_header.h"
#include "dicom/input_file.h"
#include "volume/geometry.h"

namespace lunglens {

// One slice of a volume: frame `frame_index` of file `file_index`.
struct SeriesSlice {
  std::size_t file_index = 0;
  int frame_index = 0;
  double position_along_normal_mm = 0.0;  // Projection of IPP on the slice normal.
  std::int64_t grid_index = 0;            // Slice index k in the volume grid.
};

// One candidate volume: frames of one series with consistent orientation,
// matrix, spacing and acquisition, sorted by position along the slice normal.
struct SeriesInfo {
  std::string id;                   // Unique in the scan: SeriesInstanceUID, plus a suffix when split.
  std::string series_instance_uid;
  std::string study_instance_uid;
  std::string description;          // SeriesDescription.
  std::string modality;
  PatientStudy patient_study;       // From the first file of the series.
  int series_number = 0;
  int acquisition_number = 0;

  std::vector<SeriesSlice> slices;  // Sorted by position_along_normal_mm, ascending.
  Geometry geometry;                // Grid of the volume that load_series would produce.
  double slice_step_mm = 0.0;       // Grid step: the median step, or a fraction of the smallest that fits all.
  bool uniform_step = true;         // Every step is a whole multiple of slice_step_mm.
  // Steps that are no multiples of one step and differ by more than 20 %:
  // stacked, the slices would give wrong volumes.
  bool irregular_step = false;
  bool gantry_tilt = false;         // Slice axis not orthogonal to the image plane.
  double gantry_tilt_degrees = 0.0;

  // Grid slices with no file (missing slices, see below). load_series fills
  // them with kPaddingHu and flags them in the padding mask.
  std::vector<std::int64_t> missing_grid_indices;
  bool integer_rescale = true;      // Every slope and intercept is an integer (int16 storage possible).
  bool has_padding_value = false;   // Some slice declares PixelPaddingValue.

  std::int64_t estimated_bytes = 0; // Memory load_series needs for voxels and mask.
  Diagnostics diagnostics;          // Findings about this series (missing slices, ...).
};

struct ScanResult {
  std::vector<FileHeader> headers;  // One per input file, same order.
  std::vector<SeriesInfo> series;   // Largest volume first.
  Diagnostics diagnostics;          // Per-file findings: unreadable, skipped kinds, ...
};

// Scans headers and groups frames into series. Never throws for bad input:
// every problem becomes a diagnostic that names the file.
ScanResult scan_files(std::span<const InputFile> files);

}  // namespace lunglens
