// Classification of a file by its SOP Class UID, before its content is looked at.
#pragma once

#include <optional>
#include <string_view>

#include "dicom/file_header.h"

namespace lunglens {

// Returns the non-image kind that `sop_class_uid` (or, when the UID is empty
// or unknown, `modality`) declares: DICOMDIR, SR, RTSTRUCT, presentation
// state, SEG or secondary capture. Returns nullopt for image storage classes
// and unknown UIDs, whose content then decides.
std::optional<FileKind> kind_from_sop_class(std::string_view sop_class_uid, std::string_view modality);

// Returns a short English name of a file kind, e.g. "structured report".
std::string_view file_kind_name(FileKind kind);

}  // namespace lunglens
