// One file of a series with a wrong RescaleSlope or RescaleIntercept (a
// copying or anonymisation fault) makes its slice read hundreds of HU off.
// Segmented as it is, such a slice cuts the lungs like a slice of tissue.
#pragma once

#include <span>

#include "diagnostics/diagnostic.h"
#include "dicom/input_file.h"
#include "dicom/series_scan.h"
#include "volume/volume.h"

namespace lunglens {

// Finds the slices of `volume` (loaded from `series`) whose rescale pair
// differs from the series' most common pair and whose median HU differs by
// more than 300 HU from the median over the slices with the common pair.
// Each is filled with -1024 HU and flagged as padding, as a slice that failed
// to decode, and gets an invalid_rescale error naming its file. Returns those
// errors; empty when every slice shares one rescale pair.
Diagnostics reject_rescale_outliers(const ScanResult& scan, const SeriesInfo& series,
                                    std::span<const InputFile> files, HuVolume& volume);

}  // namespace lunglens
