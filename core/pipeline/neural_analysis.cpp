#include "pipeline/neural_analysis.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "quantify/quantify.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "segment/neural_input.h"

namespace lunglens {
namespace {

// Highest zone involvement (percent of the zone's lung) that the neural
// engine measured on lungs without pneumonia: 4.85 % in the left lower zone
// of LIDC-IDRI-0001. Its lower zones there and in LIDC-IDRI-0002 gave 2.89 to
// 4.85 %, mostly dependent density, and the other zones at most 1.44 %. A
// value under 5 % scores at most 1.
constexpr double kNeuralNormalZonePercent = 4.85;

// Adds a warning when the neural score is above 0 but no zone scores more
// than 1, so that a score within the normal-lung level is not read as disease.
void note_normal_level(LungQuantification& quantification) {
  if (!quantification.ok || quantification.both.severity_score == 0) return;
  double highest = 0.0;
  for (const LungMeasures* lung : {&quantification.right, &quantification.left})
    for (const ZoneMeasures& zone : lung->zones) {
      if (zone.score.value_or(0) > 1) return;
      highest = std::max(highest, zone.region.involvement.percent_of_lung.value_or(0.0));
    }

  char text[400];
  std::snprintf(text, sizeof text,
                "no zone scores more than 1 (involvement at most %.2f %%), which is within what the neural engine "
                "measures on lungs without pneumonia (up to %.2f %% per zone on LIDC-IDRI-0001 and -0002, mostly "
                "dependent density in the lower zones), so its score of %d/30 alone does not show pneumonia; "
                "compare with the classical engine",
                highest, kNeuralNormalZonePercent, quantification.both.severity_score);
  quantification.diagnostics.push_back({DiagnosticCode::within_normal_level, Severity::warning, "", text});
}

}  // namespace

SegmentationMethod neural_method(const NeuralOutputOptions& o) {
  SegmentationMethod method;
  method.engine = "neural";
  method.parameters = {
      {"model_grid", static_cast<double>(kNeuralGridSize), "1", 0,
       "side of the square grid each slice is resampled to for the models"},
      {"input_window_min", static_cast<double>(kNeuralWindowMinHu), "HU", 0,
       "lower end of the HU window applied before the models"},
      {"input_window_max", static_cast<double>(kNeuralWindowMaxHu), "HU", 0,
       "upper end of the HU window applied before the models"},
      {"clahe_tiles", static_cast<double>(kClaheTiles), "1", 0,
       "tiles per side of the contrast-limited histogram equalisation (CLAHE) before the models"},
      {"clahe_clip_limit", kClaheClipLimit, "1", 1,
       "clip limit of that equalisation"},
      {"probability_threshold", o.probability_threshold, "1", 2,
       "a voxel is lung (or infection) when the model probability reaches this value"},
      {"min_lung_area", o.min_lung_area_mm2, "mm2", 0,
       "a lung component is kept when its largest axial section reaches this area"},
      {"min_component_fraction", o.min_component_fraction, "1", 2,
       "a lung component is kept when its volume reaches this fraction of the largest"},
      {"aerated_max", o.aerated_max_hu, "HU", 0,
       "aerated lung lies below this value"},
      {"min_aerated_fraction", o.min_aerated_fraction, "1", 2,
       "a lung component needs at least this fraction of aerated voxels"},
      {"gas", o.gas_hu, "HU", 0,
       "value below which a voxel counts as gas"},
      {"gas_max_fraction", o.gas_max_fraction, "1", 2,
       "a component with more than this fraction of gas voxels is bowel or stomach gas"},
      {"single_side_fraction", o.single_side_fraction, "1", 2,
       "this fraction of lung voxels on one side of the scan centre means only one lung is in view"},
      {"ggo_min", o.ggo_min_hu, "HU", 0,
       "lower bound of GGO inside the infection mask"},
      {"consolidation_min", o.consolidation_min_hu, "HU", 0,
       "upper bound of GGO and lower bound of consolidation"},
      {"consolidation_max", o.consolidation_max_hu, "HU", 0,
       "upper bound of consolidation"},
  };
  return method;
}

NeuralAnalysis analyze_neural_output(const HuVolume& volume, std::span<const float> lung_probability,
                                     std::span<const float> lesion_probability, const NeuralOutputOptions& options) {
  NeuralAnalysis analysis;
  analysis.method = neural_method(options);
  analysis.segmentation = neural_segmentation(volume, lung_probability, lesion_probability, options);
  analysis.diagnostics = analysis.segmentation.diagnostics;
  if (!analysis.segmentation.lungs_found) return analysis;

  analysis.quantification = quantify(volume, analysis.segmentation);
  note_normal_level(analysis.quantification);
  analysis.diagnostics.insert(analysis.diagnostics.end(), analysis.quantification.diagnostics.begin(),
                              analysis.quantification.diagnostics.end());
  return analysis;
}

ReportPair write_reports_with_neural(ReportInput input, const NeuralAnalysis& neural) {
  input.neural = NeuralReportPart{neural.method, neural.segmentation.diagnostics, neural.quantification};
  return {write_report_json(input), write_report_html(input)};
}

}  // namespace lunglens
