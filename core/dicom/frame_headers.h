// Per-frame geometry and rescale of classic and enhanced (multi-frame) images.
// Internal to core/dicom: it exposes GDCM types.
#pragma once

#include <optional>
#include <string>

#include <gdcmDataSet.h>

#include "diagnostics/diagnostic.h"
#include "dicom/file_header.h"

namespace lunglens {

// Reason the frames of an image could not be described.
struct FrameProblem {
  FileKind kind;         // Classification the file then gets.
  DiagnosticCode code;
  Severity severity;
  std::string message;
};

// Fills header.frames (and number_of_frames) from the top-level attributes of
// a classic image, or from the per-frame (5200,9230) and shared (5200,9229)
// functional groups of an enhanced image, per-frame values overriding shared
// ones: PlanePositionSequence, PlaneOrientationSequence, PixelMeasuresSequence
// and PixelValueTransformationSequence. Returns the problem when positions,
// orientation or spacing are missing or invalid, or a rescale value does not parse.
std::optional<FrameProblem> read_frame_headers(const gdcm::DataSet& data_set, FileHeader& header);

}  // namespace lunglens
