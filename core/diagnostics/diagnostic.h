// Diagnostics: the single channel through which the core reports what it
// found. The core never prints; the CLI, the Web Worker and the tests decide
// how to present each diagnostic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lunglens {

enum class Severity {
  info,     // Worth showing, no effect on the numbers.
  warning,  // The result is usable, but the reader should know (e.g. a missing slice).
  error,    // This file or this step failed; other files or steps may still succeed.
};

// Stable codes: tests and front ends match on these, never on message text.
enum class DiagnosticCode {
  // Reading files.
  not_dicom = 100,            // No DICOM preamble or recognisable data set.
  truncated_file,             // The file ends inside an element.
  corrupt_file,               // Element lengths or structure are inconsistent.
  unsupported_transfer_syntax,
  decode_failed,              // Pixel Data could not be decoded.
  pixel_data_size_mismatch,   // Decoded byte count differs from Rows x Columns x frames x bytes.

  // Files that are not part of an image volume.
  dicomdir = 200,
  structured_report,
  rt_structure_set,
  presentation_state,
  segmentation_object,
  secondary_capture,
  localizer,
  no_pixel_data,
  unsupported_image,          // e.g. colour or multi-sample data, BitsAllocated other than 8/16/32.
  not_ct_like,                // Images that are not cross-sectional (missing IPP/IOP).

  // Series assembly.
  missing_slice = 300,
  nonuniform_slice_step,
  duplicate_slice_dropped,
  acquisitions_split,
  gantry_tilt,
  inconsistent_geometry_split,
  single_slice,
  not_ct_modality,            // The chosen series is not CT, so its values are not HU.
  instance_order_mismatch,    // InstanceNumber runs against the slice positions at a few places.

  // Hounsfield units.
  missing_rescale = 400,
  pixel_padding,
  lossy_rescale,              // Non-integer slope or intercept: stored as float32.
  suspicious_hu_range,
  invalid_rescale,            // RescaleSlope or RescaleIntercept present but not a valid number.

  // Resources and arguments.
  too_large = 500,
  invalid_argument,
  cancelled,
  no_series,
  internal_error,

  // Segmentation.
  no_lung_found = 600,        // No air region of lung size and density inside the body.
  airway_not_found,           // No trachea in the upper slices: airways stay in the lung masks.
  single_lung,                // Only one lung found or the two could not be separated.
  limited_coverage,           // The lungs span too little craniocaudal extent for zone scores.
  series_chosen,              // The series the analysis picked among several, and the others.
  not_axial,                  // Coronal or sagittal images: too thin across the axial plane to segment.
  within_normal_level,        // A nonzero score whose involvement lies within what the engine finds on normal lungs.
};

struct Diagnostic {
  DiagnosticCode code;
  Severity severity;
  std::string file;  // File name as given by the caller; empty for series-wide findings.
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

// Returns the snake_case name of a code, e.g. "missing_slice", for JSON and logs.
std::string_view code_name(DiagnosticCode code);

// Returns "info", "warning" or "error".
std::string_view severity_name(Severity severity);

// Formats "severity [code] file: message" for consoles and logs.
std::string format_diagnostic(const Diagnostic& diagnostic);

}  // namespace lunglens
