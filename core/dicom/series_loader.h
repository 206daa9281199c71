// Second pass: decode the slices of one chosen series into a preallocated HU volume.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "diagnostics/diagnostic.h"
#include "dicom/input_file.h"
#include "dicom/series_scan.h"
#include "volume/volume.h"

namespace lunglens {

struct LoadOptions {
  // Refuse the load (diagnostic too_large, with the byte count needed) when
  // the volume and its mask would need more than this many bytes; 0 means no limit.
  std::int64_t max_bytes = 0;

  // Called once per decoded slice with (slices done, slices total), always on
  // the calling thread: slices are decoded in parallel in small batches and
  // reported between batches. Return false to cancel (diagnostic cancelled).
  // May be empty. If the HU values overflow int16 the series is decoded again
  // as float32 and the count restarts from 1.
  std::function<bool(int, int)> progress;
};

struct LoadResult {
  bool ok = false;          // True when `volume` contains the series.
  HuVolume volume;          // On the acquisition grid of SeriesInfo::geometry.
  Diagnostics diagnostics;  // Series findings from the scan plus decode findings.
};

// Decodes series `series_index` of `scan` into a volume allocated once before
// decoding. Each file is decoded by its own gdcm::ImageReader on a
// parallel_for worker, one file buffer per worker at a time, and the frames of
// an enhanced file go to their own slice positions. `files` must be the same
// list that was scanned. A slice that fails to decode is reported with its
// file name, filled with -1024 HU and flagged as padding, and the rest of the
// series still loads. Voxels are int16 when every slope and intercept is an
// integer and every HU value fits, float32 otherwise.
LoadResult load_series(const ScanResult& scan, std::size_t series_index,
                       std::span<const InputFile> files, const LoadOptions& options = {});

}  // namespace lunglens
