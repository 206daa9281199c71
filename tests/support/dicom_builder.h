// Builds small synthetic DICOM files in memory with GDCM's writer, so tests
// can exercise one reading rule at a time with known pixel values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "volume/geometry.h"

namespace lunglens::test {

inline constexpr const char* kCtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
inline constexpr const char* kEnhancedCtImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";
inline constexpr const char* kDoseSrStorage = "1.2.840.10008.5.1.4.1.1.88.67";
inline constexpr const char* kDicomdirStorage = "1.2.840.10008.1.3.10";

inline constexpr const char* kImplicitLittleEndian = "1.2.840.10008.1.2";
inline constexpr const char* kExplicitLittleEndian = "1.2.840.10008.1.2.1";
inline constexpr const char* kExplicitBigEndian = "1.2.840.10008.1.2.2";
inline constexpr const char* kJpegLosslessSv1 = "1.2.840.10008.1.2.4.70";
inline constexpr const char* kJpegLsLossless = "1.2.840.10008.1.2.4.80";
inline constexpr const char* kJpeg2000Lossless = "1.2.840.10008.1.2.4.90";
inline constexpr const char* kRleLossless = "1.2.840.10008.1.2.5";

// One frame of an enhanced (multi-frame) image.
struct FrameSpec {
  Vec3 position_mm{0.0, 0.0, 0.0};
  std::string rescale_intercept = "-1024";
};

// Attributes of one synthetic image; defaults make a valid 6 x 4 CT slice
// (Columns 6, Rows 4) with signed 16-bit stored values, slope 1, intercept -1024.
struct SliceSpec {
  int rows = 4;
  int columns = 6;

  // Raw sample bit patterns (rows x columns per frame, frame after frame),
  // written as BitsAllocated-wide integers; empty writes zeros.
  std::vector<std::uint32_t> samples;
  int bits_allocated = 16;
  int bits_stored = 16;
  int high_bit = 15;
  int pixel_representation = 1;
  std::string photometric = "MONOCHROME2";

  Vec3 position_mm{0.0, 0.0, 0.0};
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  std::string pixel_spacing = "0.5\\0.5";  // Row spacing, then column spacing.
  std::string slice_thickness = "1";
  std::optional<std::string> rescale_slope = "1";
  std::optional<std::string> rescale_intercept = "-1024";
  std::optional<std::uint16_t> padding_value;        // Written as US.
  std::optional<std::uint16_t> padding_range_limit;  // Written as US.

  std::string sop_class_uid = kCtImageStorage;
  std::string study_uid = "1.2.826.0.1.3680043.10.1234.1";
  std::string series_uid = "1.2.826.0.1.3680043.10.1234.2";
  std::string sop_instance_uid;  // Empty: derived from series_uid and instance_number.
  std::string modality = "CT";
  std::string image_type = "ORIGINAL\\PRIMARY\\AXIAL";
  std::string patient_name = "TEST^PATIENT";
  std::string patient_position = "HFS";
  int series_number = 1;
  int acquisition_number = 1;
  int instance_number = 1;

  bool include_pixel_data = true;
  bool private_sequence = false;  // Adds an undefined-length private sequence before Pixel Data.

  // Enhanced CT: when not empty, writes NumberOfFrames and functional groups
  // (shared: orientation, spacing, slope; per frame: position, intercept).
  std::vector<FrameSpec> frames;

  std::string transfer_syntax = kExplicitLittleEndian;
};

// Returns the Part 10 file bytes (preamble, file meta, data set).
std::vector<std::uint8_t> build_dicom(const SliceSpec& spec);

// Returns the file without its 128-byte preamble, "DICM" and group 0002
// (file meta): a bare data set, as some old archives store it. The data set
// must be implicit VR little endian for readers to parse it.
std::vector<std::uint8_t> strip_preamble_and_meta(const std::vector<std::uint8_t>& bytes);

// Returns a dose structured report (no pixel data) in series `series_uid`.
std::vector<std::uint8_t> build_dose_sr(const std::string& series_uid);

// Returns a minimal DICOMDIR (empty directory record sequence).
std::vector<std::uint8_t> build_dicomdir();

}  // namespace lunglens::test
