// Export of DICOM metadata in the DICOM JSON model (PS3.18 Annex F.2), which
// dcmjs reads with DicomMetaDictionary.naturalizeDataset.
#pragma once

#include <span>
#include <string>

#include "dicom/input_file.h"
#include "dicom/series_scan.h"

namespace lunglens {

// Returns a JSON array with one object per file of the series (in slice
// order), holding every element except Pixel Data and other bulk data
// (elements longer than 64 KiB are left out and listed nowhere).
std::string series_metadata_json(const ScanResult& scan, std::size_t series_index,
                                 std::span<const InputFile> files);

}  // namespace lunglens
