// Writes an HU volume as a CT image series (one Part 10 file per slice,
// explicit VR little endian, int16 stored values with RescaleIntercept
// -1024 and RescaleSlope 1). Used by the synthetic phantom, the demo and tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "volume/volume.h"

namespace lunglens {

struct SeriesWriterOptions {
  std::string patient_name = "PHANTOM^CHEST";
  std::string patient_id = "LUNGLENS-PHANTOM";
  std::string series_description = "lunglens synthetic chest phantom";
  std::string patient_position = "HFS";  // Written to (0018,5100).
  std::string study_instance_uid;        // Generated when empty.
  std::string series_instance_uid;       // Generated when empty.
  int series_number = 1;
  double slice_thickness_mm = 0.0;       // 0 writes the slice spacing.

  // When set, voxels flagged in the volume's padding_mask are written as this
  // stored value and PixelPaddingValue is declared.
  bool write_padding = true;
  std::int16_t padding_stored_value = -2000;
};

struct WrittenFile {
  std::string name;  // e.g. "slice-0001.dcm"
  std::vector<std::uint8_t> bytes;
};

// Writes one file per slice along index axis k of `volume`. IPP and IOP come
// from the volume geometry, so any orientation round-trips through scan_files
// and load_series. Throws std::invalid_argument on an empty volume or an axis
// layout that cannot be written as axial slices (k must not lie in the i/j plane).
std::vector<WrittenFile> write_ct_series(const HuVolume& volume, const SeriesWriterOptions& options = {});

}  // namespace lunglens
