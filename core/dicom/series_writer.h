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
  // Text values: printable ASCII without '\', at most 64 characters.
  std::string patient_name = "PHANTOM^CHEST";
  std::string patient_id = "LUNGLENS-PHANTOM";
  std::string series_description = "lunglens synthetic chest phantom";
  std::string patient_position = "HFS";  // Written to (0018,5100): HFS, FFS, HFP, FFP, HFDR, HFDL, FFDR or FFDL.
  std::string study_instance_uid;        // Generated when empty.
  std::string series_instance_uid;       // Generated when empty.

  // When set, every generated UID is derived from this root (digits and
  // dots, at most 40 characters), so the same volume gives the same bytes:
  // study <root>.1, series <root>.2, frame of reference <root>.3 and SOP
  // instance <root>.4.<InstanceNumber>. When empty, generated UIDs are random
  // (gdcm::UIDGenerator under GDCM's root).
  std::string uid_root;

  int series_number = 1;
  double slice_thickness_mm = 0.0;       // 0 writes the slice spacing.

  // When set and the volume has a padding_mask, voxels flagged in it are
  // written as this stored value and PixelPaddingValue is declared.
  bool write_padding = true;
  std::int16_t padding_stored_value = -2000;
};

struct WrittenFile {
  std::string name;  // e.g. "slice-0001.dcm"
  std::vector<std::uint8_t> bytes;
};

// Writes one file per slice along index axis k of `volume`, InstanceNumber
// k + 1. IPP and IOP come from the volume geometry (IOP = axes[0], axes[1];
// IPP = origin + k * spacing_k * axes[2]), so any orientation round-trips
// through scan_files and load_series.
//
// Stored value = round(HU) + 1024, clamped to -32768..32767, so HU above
// 31743 are written as 31743 (float32 volumes are rounded first). A voxel
// outside the padding whose stored value would equal the padding value is
// written one above it (HU + 1), so it is never read back as padding.
//
// Throws std::invalid_argument naming the fault for any of these: an empty
// volume, a voxel or mask buffer whose size differs from the grid, a
// non-positive spacing, IOP axes that are not orthonormal, or a slice axis
// within 6 degrees of the image plane. The same goes for more than 65535 rows
// or columns, more than 99999 slices and invalid option values. Throws
// std::runtime_error when GDCM fails to write a file.
std::vector<WrittenFile> write_ct_series(const HuVolume& volume, const SeriesWriterOptions& options = {});

}  // namespace lunglens
