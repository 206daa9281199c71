// Header facts of one file, read by the first pass (headers only, stopping
// before Pixel Data).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "volume/geometry.h"

namespace lunglens {

// Classification of a file: a candidate slice of an image volume, or the reason it is not.
enum class FileKind {
  image,                // Cross-sectional image with pixel data, IPP and IOP.
  unreadable,           // Not DICOM, truncated or corrupt (see the file's diagnostic).
  dicomdir,
  structured_report,    // Including dose SR.
  rt_structure_set,
  presentation_state,
  segmentation_object,
  secondary_capture,
  localizer,            // ImageType contains LOCALIZER (scout, topogram, surview).
  no_pixel_data,
  unsupported_image,    // Colour, multi-sample, or an unsupported pixel format.
  not_cross_sectional,  // Pixel data without patient position or orientation.
};

// Geometry and rescale of one 2D frame: the single frame of a classic image,
// or one frame of an enhanced (multi-frame) image, with per-frame functional
// groups already merged over the shared ones.
struct FrameHeader {
  int frame_index = 0;                      // 0-based frame number in the file.
  Vec3 position_mm{0.0, 0.0, 0.0};          // ImagePositionPatient (LPS).
  std::array<double, 6> orientation{};      // ImageOrientationPatient: row then column cosines.
  std::array<double, 2> pixel_spacing_mm{}; // PixelSpacing: row spacing, then column spacing.
  double rescale_slope = 1.0;
  double rescale_intercept = 0.0;
  bool has_rescale = false;                 // False when both rescale tags are absent.
};

// The patient and the examination of a file, as a report shows them: text
// converted to UTF-8 (see dicom_text_to_utf8), names and dates formatted for
// display (format_person_name, format_dicom_date). Empty when absent.
struct PatientStudy {
  std::string patient_name;        // PatientName (0010,0010), e.g. "DOE, JOHN".
  std::string patient_id;          // PatientID (0010,0020).
  std::string patient_birth_date;  // PatientBirthDate (0010,0030), YYYY-MM-DD.
  std::string patient_sex;         // PatientSex (0010,0040): M, F or O.
  std::string study_date;          // StudyDate (0008,0020), YYYY-MM-DD.
  std::string study_description;   // StudyDescription (0008,1030).
  std::string accession_number;    // AccessionNumber (0008,0050).
};

struct FileHeader {
  std::size_t file_index = 0;  // Position in the caller's file list.
  std::string file_name;
  FileKind kind = FileKind::unreadable;

  std::string transfer_syntax_uid;
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string study_instance_uid;
  std::string series_instance_uid;
  std::string frame_of_reference_uid;
  std::string modality;
  std::string series_description;
  std::string image_type;      // Values joined by '\'.
  std::string acquisition_time;
  std::string patient_position;  // e.g. HFS, FFS, HFP.
  PatientStudy patient_study;
  int series_number = 0;
  int acquisition_number = 0;
  int instance_number = 0;

  int rows = 0;
  int columns = 0;
  int number_of_frames = 1;
  int samples_per_pixel = 1;
  int bits_allocated = 0;
  int bits_stored = 0;
  int high_bit = 0;
  int pixel_representation = 0;  // 0 unsigned, 1 two's complement.
  std::string photometric_interpretation;

  // PixelPaddingValue and PixelPaddingRangeLimit as stored values, already
  // reinterpreted for PixelRepresentation (63536 written for a signed -2000
  // reads as -2000).
  std::optional<std::int32_t> pixel_padding_value;
  std::optional<std::int32_t> pixel_padding_range_limit;

  double slice_thickness_mm = 0.0;
  double gantry_tilt_degrees = 0.0;  // GantryDetectorTilt (0018,1120), informational.

  std::vector<FrameHeader> frames;  // One entry per frame; empty when not an image.

  // Pixel Data as seen by the header pass (which stops at its element header).
  bool has_pixel_data = false;
  bool encapsulated_pixel_data = false;  // Compressed transfer syntax (fragments).
  std::int64_t pixel_data_length = -1;   // Value length in bytes; -1 when undefined or unknown.
  std::int64_t pixel_data_offset = -1;   // Offset of its first value byte in the file; -1 when unknown.

  // Bytes skipped before the data set when a bare data set (no preamble, no
  // file meta) starts after a few stray bytes; 0 for well-formed files.
  std::size_t data_set_offset = 0;

  std::uint64_t content_hash = 0;   // Hash of all file bytes, for duplicate detection.
};

}  // namespace lunglens
