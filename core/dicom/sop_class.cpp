#include "dicom/sop_class.h"

namespace lunglens {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<FileKind> kind_from_sop_class(std::string_view uid, std::string_view modality) {
  // UIDs from DICOM PS3.4 Annex B and PS3.6 Annex A.
  if (uid == "1.2.840.10008.1.3.10") return FileKind::dicomdir;                         // Media Storage Directory
  if (starts_with(uid, "1.2.840.10008.5.1.4.1.1.88.")) return FileKind::structured_report;  // All SR, incl. dose SR
  if (uid == "1.2.840.10008.5.1.4.1.1.481.3") return FileKind::rt_structure_set;
  if (starts_with(uid, "1.2.840.10008.5.1.4.1.1.11.")) return FileKind::presentation_state;
  if (uid == "1.2.840.10008.5.1.4.1.1.66.4" || uid == "1.2.840.10008.5.1.4.1.1.66.7")
    return FileKind::segmentation_object;  // Segmentation, Label Map Segmentation
  if (uid == "1.2.840.10008.5.1.4.1.1.7" || starts_with(uid, "1.2.840.10008.5.1.4.1.1.7."))
    return FileKind::secondary_capture;
  if (!uid.empty()) return std::nullopt;

  if (modality == "SR") return FileKind::structured_report;
  if (modality == "RTSTRUCT") return FileKind::rt_structure_set;
  if (modality == "PR") return FileKind::presentation_state;
  if (modality == "SEG") return FileKind::segmentation_object;
  return std::nullopt;
}

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::image: return "image";
    case FileKind::unreadable: return "unreadable file";
    case FileKind::dicomdir: return "DICOMDIR";
    case FileKind::structured_report: return "structured report";
    case FileKind::rt_structure_set: return "RT structure set";
    case FileKind::presentation_state: return "presentation state";
    case FileKind::segmentation_object: return "segmentation object";
    case FileKind::secondary_capture: return "secondary capture";
    case FileKind::localizer: return "localizer";
    case FileKind::no_pixel_data: return "file without pixel data";
    case FileKind::unsupported_image: return "unsupported image";
    case FileKind::not_cross_sectional: return "image without position or orientation";
  }
  return "unknown";
}

}  // namespace lunglens
