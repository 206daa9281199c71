// First pass over one file: parse the header up to Pixel Data and classify the file.
#pragma once

#include <cstddef>

#include "diagnostics/diagnostic.h"
#include "dicom/file_header.h"
#include "dicom/input_file.h"

namespace lunglens {

struct HeaderReadResult {
  FileHeader header;
  Diagnostics diagnostics;  // Reasons the file is not an image, and faults found in it.
};

// Reads the header of `file` (never its pixel data) and classifies it: by SOP
// Class UID first, then by content. Never throws; a file that cannot be
// parsed comes back as FileKind::unreadable with an error diagnostic.
HeaderReadResult read_file_header(const InputFile& file, std::size_t file_index);

// Returns where the data set starts: 0 for a Part 10 file ("DICM" at byte
// 128) or a bare data set starting with a group 0002 or 0008 element, else
// the first offset below 128 where a little-endian group 0008 element with
// an explicit VR starts (a bare data set after stray bytes), else 0.
std::size_t find_data_set_start(std::span<const std::uint8_t> bytes);

// Returns a 64-bit hash of `bytes` (not cryptographic; equal hashes are
// confirmed by comparing bytes).
std::uint64_t content_hash(std::span<const std::uint8_t> bytes);

}  // namespace lunglens
