// Everything a report shows: the input series, the findings of each stage,
// the segmentation method and the quantification. The caller fills it; the
// JSON and HTML writers render the same content.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "dicom/series_scan.h"
#include "quantify/lung_quantification.h"
#include "report/key_image.h"
#include "volume/geometry.h"

namespace lunglens {

inline constexpr std::string_view kReportSchemaVersion = "1.1.0";

// Sentence shown at the top of every report.
inline constexpr std::string_view kReportDisclaimer =
    "lunglens is research software and not a certified diagnostic (medical) device. Its numbers "
    "must not be used on their own for diagnosis or treatment decisions.";

struct SeriesSummary {
  std::string series_instance_uid;
  std::string study_instance_uid;
  std::string description;  // SeriesDescription.
  int series_number = 0;    // SeriesNumber; 0 when absent.
  PatientStudy patient_study;
  std::int64_t slice_count = 0;
  std::int64_t columns = 0;
  std::int64_t rows = 0;
  Vec3 spacing_mm{0.0, 0.0, 0.0};  // Along the volume axes i (column), j (row), k (slice).
  double slice_step_mm = 0.0;      // Distance between slice positions along the slice normal.
  std::int64_t missing_slices = 0; // Grid slices without a file, filled with -1024 HU.
};

// One parameter of the segmentation engine, e.g. {"lung_threshold", -400, "HU"}.
struct MethodParameter {
  std::string name;
  double value = 0.0;
  std::string unit;         // UCUM-style unit, "1" for a plain number.
  int decimals = 3;         // Digits printed after the point.
  std::string description;  // The parameter's effect in words, for readers of the report.
};

struct SegmentationMethod {
  std::string engine = "classical";
  std::vector<MethodParameter> parameters;
};

// Masks and numbers of the neural engine, reported beside the classical ones
// and computed with the same quantification.
struct NeuralReportPart {
  SegmentationMethod segmentation_method;  // engine "neural".
  Diagnostics segmentation_diagnostics;
  LungQuantification quantification;
};

struct ReportInput {
  // Time of the analysis as RFC 3339 text, e.g. "2024-05-01T12:00:00Z". The
  // core has no clock of its own, so the caller passes it in.
  std::string generated_at;
  SeriesSummary series;
  Diagnostics load_diagnostics;          // From scan_files and load_series.
  Diagnostics segmentation_diagnostics;  // LungSegmentation::diagnostics.
  SegmentationMethod segmentation_method;
  LungQuantification quantification;     // Its diagnostics appear as stage "quantify".
  std::vector<KeyImage> key_images;      // Shown in the HTML page as embedded PNG; not in the JSON.
  std::optional<NeuralReportPart> neural; // Present when the neural engine ran.
};

// Returns the report status: "failed" when the quantification was rejected,
// "partial" when it ran but slices of the series failed to decode or are
// missing (no lung is counted there, so volumes are underestimated), else
// "complete".
std::string_view report_status(const ReportInput& input);

// Returns the number of files of the series whose pixel data failed to
// decode or whose rescale was rejected (errors that name a file).
std::int64_t failed_slice_count(const ReportInput& input);

// Returns the summary of a scanned series (matrix, spacing, step, UID).
SeriesSummary summarize_series(const SeriesInfo& series);

// Returns invalid_argument errors for input the writers reject: a
// generated_at that is not RFC 3339, a method parameter without a name or
// unit, or with decimals outside 0 to 9. Empty when the input is valid.
Diagnostics check_report_input(const ReportInput& input);

}  // namespace lunglens
