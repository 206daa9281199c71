#include "report/report_input.h"

#include "report/report_text.h"

namespace lunglens {

SeriesSummary summarize_series(const SeriesInfo& series) {
  SeriesSummary summary;
  summary.series_instance_uid = series.series_instance_uid;
  summary.study_instance_uid = series.study_instance_uid;
  summary.description = series.description;
  summary.series_number = series.series_number;
  summary.patient_study = series.patient_study;
  summary.slice_count = static_cast<std::int64_t>(series.slices.size());
  summary.columns = series.geometry.size[0];
  summary.rows = series.geometry.size[1];
  summary.spacing_mm = series.geometry.spacing_mm;
  summary.slice_step_mm = series.slice_step_mm;
  summary.missing_slices = static_cast<std::int64_t>(series.missing_grid_indices.size());
  return summary;
}

std::int64_t failed_slice_count(const ReportInput& input) {
  std::int64_t count = 0;
  for (const Diagnostic& diagnostic : input.load_diagnostics)
    count += diagnostic.severity == Severity::error && !diagnostic.file.empty() &&
             (diagnostic.code == DiagnosticCode::decode_failed ||
              diagnostic.code == DiagnosticCode::pixel_data_size_mismatch ||
              diagnostic.code == DiagnosticCode::invalid_rescale);
  return count;
}

std::string_view report_status(const ReportInput& input) {
  if (!input.quantification.ok) return "failed";
  return failed_slice_count(input) > 0 || input.series.missing_slices > 0 ? "partial" : "complete";
}

Diagnostics check_report_input(const ReportInput& input) {
  Diagnostics errors;
  const auto reject = [&](std::string message) {
    errors.push_back({DiagnosticCode::invalid_argument, Severity::error, "", std::move(message)});
  };

  if (!is_rfc3339_timestamp(input.generated_at))
    reject("report: generated_at \"" + input.generated_at +
           "\" is not an RFC 3339 timestamp; pass e.g. \"2024-05-01T12:00:00Z\"");
  for (const MethodParameter& parameter : input.segmentation_method.parameters) {
    if (parameter.name.empty()) reject("report: a segmentation parameter has an empty name");
    if (parameter.unit.empty())
      reject("report: segmentation parameter \"" + parameter.name + "\" has no unit; use \"1\" for a plain number");
    if (parameter.decimals < 0 || parameter.decimals > 9)
      reject("report: segmentation parameter \"" + parameter.name + "\" asks for " +
             std::to_string(parameter.decimals) + " decimals; use 0 to 9");
  }
  if (input.segmentation_method.engine.empty()) reject("report: the segmentation engine name is empty");
  return errors;
}

}  // namespace lunglens
