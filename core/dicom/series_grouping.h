// Grouping of image frames into candidate volumes.
#pragma once

#include <span>
#include <vector>

#include "dicom/file_header.h"
#include "dicom/input_file.h"
#include "dicom/series_scan.h"

namespace lunglens {

// Groups the frames of image files by SeriesInstanceUID, then by geometry
// (orientation, matrix, pixel spacing); drops byte-identical duplicates and
// splits frames that share positions into one volume per acquisition.
// Returns the series, largest first, each laid out by lay_out_slices.
std::vector<SeriesInfo> group_series(const std::vector<FileHeader>& headers, std::span<const InputFile> files);

}  // namespace lunglens
