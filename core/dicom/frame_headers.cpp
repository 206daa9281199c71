#include "dicom/frame_headers.h"

#include <cmath>

#include "dicom/dataset_values.h"
#include "dicom/dicom_text.h"
#include "text/number_text.h"

namespace lunglens {

namespace {

const gdcm::Tag kImagePosition(0x0020, 0x0032);
const gdcm::Tag kImageOrientation(0x0020, 0x0037);
const gdcm::Tag kPixelSpacing(0x0028, 0x0030);
const gdcm::Tag kSliceThickness(0x0018, 0x0050);
const gdcm::Tag kRescaleIntercept(0x0028, 0x1052);
const gdcm::Tag kRescaleSlope(0x0028, 0x1053);

const gdcm::Tag kSharedGroups(0x5200, 0x9229);
const gdcm::Tag kPerFrameGroups(0x5200, 0x9230);
const gdcm::Tag kPlanePositionSequence(0x0020, 0x9113);
const gdcm::Tag kPlaneOrientationSequence(0x0020, 0x9116);
const gdcm::Tag kPixelMeasuresSequence(0x0028, 0x9110);
const gdcm::Tag kPixelValueTransformationSequence(0x0028, 0x9145);

// Data sets searched for one attribute, most specific first.
struct Sources {
  const gdcm::DataSet* per_frame = nullptr;
  const gdcm::DataSet* shared = nullptr;
  const gdcm::DataSet* top_level = nullptr;
};

// Returns the raw text of `tag`, looked up in functional group `macro` of the
// per-frame then the shared item, then at the top level.
std::optional<std::string> find_text(const Sources& sources, const gdcm::Tag& macro, const gdcm::Tag& tag) {
  for (const gdcm::DataSet* group : {sources.per_frame, sources.shared}) {
    if (group == nullptr) continue;
    const auto sequence = sequence_value(*group, macro);
    const gdcm::DataSet* item = sequence_item(sequence.GetPointer(), 0);
    if (item == nullptr) continue;
    if (auto text = raw_text(*item, tag)) return text;
  }
  if (sources.top_level != nullptr) return raw_text(*sources.top_level, tag);
  return std::nullopt;
}

// Plausibility limits. CT pixels are about 0.1 to 2 mm; 0.01 mm admits
// micro-CT and 50 mm any scout. Positions beyond 100 m and rescale values
// outside these bounds only come from corrupt headers, and would overflow the
// integer HU path (stored value x slope must fit in 64 bits with room to spare).
constexpr double kMinPixelSpacingMm = 0.01;
constexpr double kMaxPixelSpacingMm = 50.0;
constexpr double kMaxPositionMm = 1.0e5;
constexpr double kMinRescaleSlope = 1.0e-6;
constexpr double kMaxRescaleSlope = 1.0e6;
constexpr double kMaxRescaleIntercept = 1.0e7;

FrameProblem geometry_problem(const std::string& message) {
  return {FileKind::not_cross_sectional, DiagnosticCode::not_ct_like, Severity::info, message};
}

FrameProblem rescale_problem(const std::string& message) {
  return {FileKind::unreadable, DiagnosticCode::invalid_rescale, Severity::error, message};
}

// Parses the rescale of one frame; a present but unparseable value is an error.
std::optional<FrameProblem> read_rescale(const Sources& sources, FrameHeader& frame) {
  const auto slope_text = find_text(sources, kPixelValueTransformationSequence, kRescaleSlope);
  const auto intercept_text = find_text(sources, kPixelValueTransformationSequence, kRescaleIntercept);
  const bool slope_present = slope_text && !trim_dicom(*slope_text).empty();
  const bool intercept_present = intercept_text && !trim_dicom(*intercept_text).empty();
  frame.has_rescale = slope_present || intercept_present;

  if (slope_present) {
    const auto slope = parse_decimal_string(split_dicom_values(*slope_text).front());
    if (!slope || *slope == 0.0)
      return rescale_problem("RescaleSlope (0028,1053) '" + std::string(trim_dicom(*slope_text)) +
                             "' is not a valid non-zero decimal number");
    if (std::abs(*slope) < kMinRescaleSlope || std::abs(*slope) > kMaxRescaleSlope)
      return rescale_problem("RescaleSlope (0028,1053) '" + std::string(trim_dicom(*slope_text)) +
                             "' is outside the plausible magnitude " + format_shortest(kMinRescaleSlope) + " to " +
                             format_shortest(kMaxRescaleSlope));
    frame.rescale_slope = *slope;
  }
  if (intercept_present) {
    const auto intercept = parse_decimal_string(split_dicom_values(*intercept_text).front());
    if (!intercept)
      return rescale_problem("RescaleIntercept (0028,1052) '" + std::string(trim_dicom(*intercept_text)) +
                             "' is not a valid decimal number");
    if (std::abs(*intercept) > kMaxRescaleIntercept)
      return rescale_problem("RescaleIntercept (0028,1052) '" + std::string(trim_dicom(*intercept_text)) +
                             "' is larger in magnitude than " + format_shortest(kMaxRescaleIntercept));
    frame.rescale_intercept = *intercept;
  }
  return std::nullopt;
}

// Parses position, orientation and spacing of one frame.
std::optional<FrameProblem> read_geometry(const Sources& sources, FrameHeader& frame) {
  const auto position_text = find_text(sources, kPlanePositionSequence, kImagePosition);
  const auto orientation_text = find_text(sources, kPlaneOrientationSequence, kImageOrientation);
  const auto spacing_text = find_text(sources, kPixelMeasuresSequence, kPixelSpacing);
  if (!position_text || !orientation_text)
    return geometry_problem("no ImagePositionPatient or ImageOrientationPatient");
  if (!spacing_text) return geometry_problem("no PixelSpacing");

  const auto position = parse_decimal_strings(*position_text);
  if (!position || position->size() != 3)
    return geometry_problem("ImagePositionPatient '" + std::string(trim_dicom(*position_text)) +
                            "' is not three decimal numbers");
  const auto orientation = parse_decimal_strings(*orientation_text);
  if (!orientation || orientation->size() != 6)
    return geometry_problem("ImageOrientationPatient '" + std::string(trim_dicom(*orientation_text)) +
                            "' is not six decimal numbers");
  const auto spacing = parse_decimal_strings(*spacing_text);
  if (!spacing || spacing->size() != 2 || (*spacing)[0] <= 0.0 || (*spacing)[1] <= 0.0)
    return geometry_problem("PixelSpacing '" + std::string(trim_dicom(*spacing_text)) +
                            "' is not two positive decimal numbers");
  for (double value : *spacing)
    if (value < kMinPixelSpacingMm || value > kMaxPixelSpacingMm)
      return geometry_problem("PixelSpacing '" + std::string(trim_dicom(*spacing_text)) + "' is outside " +
                              format_shortest(kMinPixelSpacingMm) + " to " + format_shortest(kMaxPixelSpacingMm) +
                              " mm, which no CT image has");
  for (double value : *position)
    if (std::abs(value) > kMaxPositionMm)
      return geometry_problem("ImagePositionPatient '" + std::string(trim_dicom(*position_text)) +
                              "' lies more than " + format_shortest(kMaxPositionMm) + " mm from the origin");

  // Normalise the cosines (files often carry 5-6 digits) and check that they
  // describe a plane.
  Vec3 row{(*orientation)[0], (*orientation)[1], (*orientation)[2]};
  Vec3 column{(*orientation)[3], (*orientation)[4], (*orientation)[5]};
  if (norm(row) < 0.5 || norm(column) < 0.5 || std::abs(dot(normalized(row), normalized(column))) > 0.01)
    return geometry_problem("ImageOrientationPatient '" + std::string(trim_dicom(*orientation_text)) +
                            "' does not hold two orthogonal unit vectors");
  row = normalized(row);
  column = normalized(column);

  frame.position_mm = {(*position)[0], (*position)[1], (*position)[2]};
  frame.orientation = {row[0], row[1], row[2], column[0], column[1], column[2]};
  frame.pixel_spacing_mm = {(*spacing)[0], (*spacing)[1]};
  return std::nullopt;
}

}  // namespace

std::optional<FrameProblem> read_frame_headers(const gdcm::DataSet& data_set, FileHeader& header) {
  header.frames.clear();
  const auto per_frame = sequence_value(data_set, kPerFrameGroups);
  const auto shared = sequence_value(data_set, kSharedGroups);
  const bool enhanced = per_frame && per_frame->GetNumberOfItems() > 0;

  if (!enhanced && header.number_of_frames > 1)
    return FrameProblem{FileKind::unsupported_image, DiagnosticCode::unsupported_image, Severity::info,
                        "multi-frame image (" + std::to_string(header.number_of_frames) +
                            " frames) without per-frame functional groups, so frame positions are unknown"};
  if (enhanced && per_frame->GetNumberOfItems() < static_cast<std::size_t>(header.number_of_frames))
    return FrameProblem{FileKind::unreadable, DiagnosticCode::corrupt_file, Severity::error,
                        "PerFrameFunctionalGroupsSequence has " + std::to_string(per_frame->GetNumberOfItems()) +
                            " items for " + std::to_string(header.number_of_frames) + " frames"};

  if (auto thickness = raw_text(data_set, kSliceThickness))
    header.slice_thickness_mm = parse_decimal_string(*thickness).value_or(0.0);

  for (int f = 0; f < header.number_of_frames; ++f) {
    Sources sources;
    sources.top_level = &data_set;
    if (enhanced) {
      sources.per_frame = sequence_item(per_frame.GetPointer(), static_cast<std::size_t>(f));
      sources.shared = sequence_item(shared.GetPointer(), 0);
    }

    FrameHeader frame;
    frame.frame_index = f;
    if (auto problem = read_geometry(sources, frame)) {
      if (enhanced) problem->message = "frame " + std::to_string(f + 1) + ": " + problem->message;
      return problem;
    }
    if (auto problem = read_rescale(sources, frame)) {
      if (enhanced) problem->message = "frame " + std::to_string(f + 1) + ": " + problem->message;
      return problem;
    }
    if (enhanced && header.slice_thickness_mm == 0.0)
      if (auto thickness = find_text(sources, kPixelMeasuresSequence, kSliceThickness))
        header.slice_thickness_mm = parse_decimal_string(*thickness).value_or(0.0);
    header.frames.push_back(frame);
  }
  return std::nullopt;
}

}  // namespace lunglens
