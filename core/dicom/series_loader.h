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

  // Called after each decoded slice with (slices done, slices total); return
  // false to cancel (diagnostic cancelled). May be empty.
  std::function<bool(int, int)> progress;
};

struct LoadResult {
  bool ok = false;          // True when `volume` holds the series.
  HuVolume volume;          // On the acquisition grid of SeriesInfo::geometry.
  Diagnostics diagnostics;  // Series findings from the scan plus decode findings.
};

// Decodes series `series_index` of `scan`. `files` must be the same list that
// was scanned. A slice that fails to decode is reported and filled with
// -1024 HU and flagged as padding; the rest of the series still loads.
LoadResult load_series(const ScanResult& scan, std::size_t series_index,
                       std::span<const InputFile> files, const LoadOptions& options = {});

}  // namespace lunglens
