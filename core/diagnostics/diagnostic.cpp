#include "diagnostics/diagnostic.h"

namespace lunglens {

std::string_view code_name(DiagnosticCode code) {
  switch (code) {
    case DiagnosticCode::not_dicom: return "not_dicom";
    case DiagnosticCode::truncated_file: return "truncated_file";
    case DiagnosticCode::corrupt_file: return "corrupt_file";
    case DiagnosticCode::unsupported_transfer_syntax: return "unsupported_transfer_syntax";
    case DiagnosticCode::decode_failed: return "decode_failed";
    case DiagnosticCode::pixel_data_size_mismatch: return "pixel_data_size_mismatch";
    case DiagnosticCode::dicomdir: return "dicomdir";
    case DiagnosticCode::structured_report: return "structured_report";
    case DiagnosticCode::rt_structure_set: return "rt_structure_set";
    case DiagnosticCode::presentation_state: return "presentation_state";
    case DiagnosticCode::segmentation_object: return "segmentation_object";
    case DiagnosticCode::secondary_capture: return "secondary_capture";
    case DiagnosticCode::localizer: return "localizer";
    case DiagnosticCode::no_pixel_data: return "no_pixel_data";
    case DiagnosticCode::unsupported_image: return "unsupported_image";
    case DiagnosticCode::not_ct_like: return "not_ct_like";
    case DiagnosticCode::missing_slice: return "missing_slice";
    case DiagnosticCode::nonuniform_slice_step: return "nonuniform_slice_step";
    case DiagnosticCode::duplicate_slice_dropped: return "duplicate_slice_dropped";
    case DiagnosticCode::acquisitions_split: return "acquisitions_split";
    case DiagnosticCode::gantry_tilt: return "gantry_tilt";
    case DiagnosticCode::inconsistent_geometry_split: return "inconsistent_geometry_split";
    case DiagnosticCode::single_slice: return "single_slice";
    case DiagnosticCode::not_ct_modality: return "not_ct_modality";
    case DiagnosticCode::instance_order_mismatch: return "instance_order_mismatch";
    case DiagnosticCode::missing_rescale: return "missing_rescale";
    case DiagnosticCode::pixel_padding: return "pixel_padding";
    case DiagnosticCode::lossy_rescale: return "lossy_rescale";
    case DiagnosticCode::suspicious_hu_range: return "suspicious_hu_range";
    case DiagnosticCode::invalid_rescale: return "invalid_rescale";
    case DiagnosticCode::too_large: return "too_large";
    case DiagnosticCode::invalid_argument: return "invalid_argument";
    case DiagnosticCode::cancelled: return "cancelled";
    case DiagnosticCode::no_series: return "no_series";
    case DiagnosticCode::internal_error: return "internal_error";
    case DiagnosticCode::limited_coverage: return "limited_coverage";
    case DiagnosticCode::series_chosen: return "series_chosen";
    case DiagnosticCode::no_lung_found: return "no_lung_found";
    case DiagnosticCode::airway_not_found: return "airway_not_found";
    case DiagnosticCode::single_lung: return "single_lung";
    case DiagnosticCode::not_axial: return "not_axial";
    case DiagnosticCode::within_normal_level: return "within_normal_level";
  }
  return "unknown";
}

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "unknown";
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string text;
  text += severity_name(diagnostic.severity);
  text += " [";
  text += code_name(diagnostic.code);
  text += "] ";
  if (!diagnostic.file.empty()) {
    text += diagnostic.file;
    text += ": ";
  }
  text += diagnostic.message;
  return text;
}

}  // namespace lunglens
