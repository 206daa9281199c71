#include "report/report_json.h"

#include <cmath>

#include "quantify/severity_score.h"
#include "report/json_writer.h"
#include "report/report_quantities.h"

#ifndef LUNGLENS_VERSION
#define LUNGLENS_VERSION "unknown"
#endif

namespace lunglens {
namespace {

void write_quantity(JsonWriter& json, std::string_view key, std::optional<double> value,
                    const QuantityFormat& format) {
  json.key(key);
  json.begin_inline_object();
  json.key("value");
  json.number(value, format.decimals);
  json.key("unit");
  json.string(format.unit);
  json.end_object();
}

// Writes {"value": n, "unit": ...}; an empty value is written as null.
void write_count(JsonWriter& json, std::string_view key, std::optional<std::int64_t> value, std::string_view unit) {
  json.key(key);
  json.begin_inline_object();
  json.key("value");
  if (value) json.integer(*value);
  else json.null();
  json.key("unit");
  json.string(unit);
  json.end_object();
}

// Writes {"value": [a, b], "unit": ...}; a non-finite bound is written as null.
void write_range(JsonWriter& json, std::string_view key, double lower, double upper,
                 const QuantityFormat& format) {
  json.key(key);
  json.begin_inline_object();
  json.key("value");
  json.begin_inline_array();
  json.number(lower, format.decimals);
  json.number(upper, format.decimals);
  json.end_array();
  json.key("unit");
  json.string(format.unit);
  json.end_object();
}

void write_diagnostics(JsonWriter& json, std::string_view stage, const Diagnostics& diagnostics) {
  for (const Diagnostic& diagnostic : diagnostics) {
    json.begin_object();
    json.key("stage");
    json.string(stage);
    json.key("severity");
    json.string(severity_name(diagnostic.severity));
    json.key("code");
    json.string(code_name(diagnostic.code));
    json.key("file");
    json.string(diagnostic.file);
    json.key("message");
    json.string(diagnostic.message);
    json.end_object();
  }
}

void write_input(JsonWriter& json, const SeriesSummary& series) {
  json.key("input");
  json.begin_object();
  json.key("series_instance_uid");
  json.string(series.series_instance_uid);
  json.key("series_description");
  json.string(series.description);
  json.key("series_number");
  json.integer(series.series_number);
  json.key("study_instance_uid");
  json.string(series.study_instance_uid);

  const PatientStudy& patient = series.patient_study;
  json.key("patient");
  json.begin_object();
  for (const auto& [name, value] : {std::pair{"name", &patient.patient_name}, std::pair{"id", &patient.patient_id},
                                    std::pair{"birth_date", &patient.patient_birth_date},
                                    std::pair{"sex", &patient.patient_sex}}) {
    json.key(name);
    json.string(*value);
  }
  json.end_object();
  json.key("study");
  json.begin_object();
  for (const auto& [name, value] : {std::pair{"date", &patient.study_date},
                                    std::pair{"description", &patient.study_description},
                                    std::pair{"accession_number", &patient.accession_number}}) {
    json.key(name);
    json.string(*value);
  }
  json.end_object();

  write_count(json, "slice_count", series.slice_count, kSliceUnit);

  json.key("matrix");
  json.begin_inline_object();
  json.key("value");
  json.begin_inline_array();
  json.integer(series.columns);
  json.integer(series.rows);
  json.end_array();
  json.key("unit");
  json.string(kPixelUnit);
  json.end_object();

  json.key("spacing");
  json.begin_inline_object();
  json.key("value");
  json.begin_inline_array();
  for (const double spacing : series.spacing_mm) json.number(spacing, kSpacingMm.decimals);
  json.end_array();
  json.key("unit");
  json.string(kSpacingMm.unit);
  json.end_object();

  write_quantity(json, "slice_step", series.slice_step_mm, kSpacingMm);
  json.end_object();
}

void write_segmentation_method(JsonWriter& json, const SegmentationMethod& method) {
  json.key("segmentation");
  json.begin_object();
  json.key("engine");
  json.string(method.engine);
  json.key("parameters");
  json.begin_array();
  for (const MethodParameter& parameter : method.parameters) {
    json.begin_inline_object();
    json.key("name");
    json.string(parameter.name);
    json.key("value");
    json.number(parameter.value, parameter.decimals);
    json.key("unit");
    json.string(parameter.unit);
    json.key("description");
    json.string(parameter.description);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_method(JsonWriter& json, const ReportInput& input) {
  json.key("method");
  json.begin_object();
  write_segmentation_method(json, input.segmentation_method);

  json.key("quantification");
  json.begin_object();
  write_quantity(json, "voxel_volume", input.quantification.voxel_volume_mm3, kVoxelVolumeMm3);
  json.key("volume_rule");
  json.string("volume = voxel count x voxel volume; percents are ratios of voxel counts");
  json.key("density_exclusions");
  json.string("padding voxels and non-finite values count in volumes but not in density statistics");
  json.key("density_bands");
  json.begin_array();
  for (const DensityBand band : kDensityBands) {
    json.begin_object();
    json.key("band");
    json.string(density_band_name(band));
    write_range(json, "range", density_band_lower_hu(band), density_band_upper_hu(band), kThresholdHu);
    json.end_object();
  }
  json.end_array();
  json.key("histogram");
  json.begin_object();
  write_quantity(json, "lower_edge", HuHistogram::kLowerEdgeHu, kThresholdHu);
  write_quantity(json, "upper_edge", HuHistogram::kUpperEdgeHu, kThresholdHu);
  write_quantity(json, "bin_width", HuHistogram::kBinWidthHu, kThresholdHu);
  write_count(json, "bin_count", HuHistogram::kBinCount, kBinUnit);
  json.end_object();
  json.key("zone_rule");
  json.string(
      "each lung's height between its most caudal and most cranial voxel centres along "
      "patient z is split into equal thirds; a voxel centre on a boundary goes to the more "
      "cranial zone");
  json.key("score_rule");
  json.string(zone_score_rule());
  json.end_object();

  json.end_object();
}

void write_fraction(JsonWriter& json, std::string_view key, const VolumeFraction& fraction) {
  json.key(key);
  json.begin_object();
  write_quantity(json, "volume", fraction.volume_ml, kVolumeMl);
  write_count(json, "voxel_count", fraction.voxel_count, kVoxelUnit);
  write_quantity(json, "percent_of_lung", fraction.percent_of_lung, kPercent);
  json.end_object();
}

void write_region(JsonWriter& json, const RegionMeasures& region) {
  write_quantity(json, "volume", region.lung_volume_ml, kVolumeMl);
  write_count(json, "voxel_count", region.lung_voxel_count, kVoxelUnit);
  write_fraction(json, "ground_glass", region.ground_glass);
  write_fraction(json, "consolidation", region.consolidation);
  write_fraction(json, "involvement", region.involvement);
}

void write_density(JsonWriter& json, const DensityMeasures& density) {
  json.key("density");
  json.begin_object();
  write_quantity(json, "mean", density.mean_hu, kDensityHu);
  write_count(json, "voxel_count", density.density_voxel_count, kVoxelUnit);
  write_count(json, "excluded_voxel_count", density.excluded_voxel_count, kVoxelUnit);

  json.key("bands");
  json.begin_array();
  for (const DensityBandMeasure& band : density.bands) {
    json.begin_object();
    json.key("band");
    json.string(density_band_name(band.band));
    write_quantity(json, "volume", band.volume_ml, kVolumeMl);
    write_count(json, "voxel_count", band.voxel_count, kVoxelUnit);
    write_quantity(json, "percent", band.percent, kPercent);
    json.end_object();
  }
  json.end_array();

  json.key("histogram");
  json.begin_object();
  json.key("counts");
  json.begin_inline_object();
  json.key("value");
  json.begin_inline_array();
  for (const std::int64_t count : density.histogram.counts) json.integer(count);
  json.end_array();
  json.key("unit");
  json.string(kVoxelUnit);
  json.end_object();
  write_count(json, "below_range", density.histogram.below_range, kVoxelUnit);
  write_count(json, "above_range", density.histogram.above_range, kVoxelUnit);
  json.end_object();

  json.end_object();
}

void write_lung(JsonWriter& json, std::string_view key, const LungMeasures& lung) {
  json.key(key);
  json.begin_object();
  write_region(json, lung.region);
  write_density(json, lung.density);

  if (lung.z_extent) {
    write_range(json, "z_extent", lung.z_extent->z_min_mm, lung.z_extent->z_max_mm, kPositionMm);
  } else {
    json.key("z_extent");
    json.begin_inline_object();
    json.key("value");
    json.null();
    json.key("unit");
    json.string(kPositionMm.unit);
    json.end_object();
  }

  json.key("zones");
  json.begin_array();
  for (const ZoneMeasures& zone : lung.zones) {
    json.begin_object();
    json.key("zone");
    json.string(zone_label(zone.side, zone.zone));
    write_range(json, "z_range", zone.z_lower_mm, zone.z_upper_mm, kPositionMm);
    write_region(json, zone.region);
    write_count(json, "score", zone.score, kScoreUnit);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_results(JsonWriter& json, const LungQuantification& quantification) {
  json.key("results");
  if (!quantification.ok) {
    json.null();
    return;
  }
  json.begin_object();
  write_lung(json, "right_lung", quantification.right);
  write_lung(json, "left_lung", quantification.left);

  json.key("both_lungs");
  json.begin_object();
  write_region(json, quantification.both.region);
  write_density(json, quantification.both.density);
  write_count(json, "severity_score", quantification.both.severity_score, kScoreUnit);
  write_count(json, "scored_zones", quantification.both.scored_zones, kZoneUnit);
  json.end_object();

  json.key("airway");
  json.begin_object();
  write_quantity(json, "volume", quantification.airway_volume_ml, kVolumeMl);
  write_count(json, "voxel_count", quantification.airway_voxel_count, kVoxelUnit);
  json.end_object();
  json.end_object();
}

// Writes the neural engine's masks and numbers as one optional object, so
// that every number in the report states which engine produced it.
// Its status is "partial" like the report's when slices failed to decode or
// are missing: both engines measure the same incomplete volume.
void write_neural(JsonWriter& json, const NeuralReportPart& neural, bool volume_partial) {
  json.key("neural");
  json.begin_object();
  json.key("engine");
  json.string(neural.segmentation_method.engine);
  json.key("status");
  if (!neural.quantification.ok) json.string("failed");
  else json.string(volume_partial ? "partial" : "complete");

  json.key("diagnostics");
  json.begin_array();
  write_diagnostics(json, "segment", neural.segmentation_diagnostics);
  write_diagnostics(json, "quantify", neural.quantification.diagnostics);
  json.end_array();

  json.key("method");
  json.begin_object();
  write_segmentation_method(json, neural.segmentation_method);
  json.end_object();

  write_results(json, neural.quantification);
  json.end_object();
}

}  // namespace

ReportText write_report_json(const ReportInput& input) {
  ReportText report;
  report.diagnostics = check_report_input(input);
  if (!report.diagnostics.empty()) return report;

  JsonWriter json;
  json.begin_object();
  json.key("schema_version");
  json.string(kReportSchemaVersion);
  json.key("generator");
  json.begin_object();
  json.key("name");
  json.string("lunglens");
  json.key("version");
  json.string(LUNGLENS_VERSION);
  json.end_object();
  json.key("generated_at");
  json.string(input.generated_at);
  json.key("disclaimer");
  json.string(kReportDisclaimer);
  json.key("status");
  json.string(report_status(input));

  write_input(json, input.series);

  json.key("diagnostics");
  json.begin_array();
  write_diagnostics(json, "load", input.load_diagnostics);
  write_diagnostics(json, "segment", input.segmentation_diagnostics);
  write_diagnostics(json, "quantify", input.quantification.diagnostics);
  json.end_array();

  write_method(json, input);
  write_results(json, input.quantification);
  if (input.neural)
    write_neural(json, *input.neural, failed_slice_count(input) > 0 || input.series.missing_slices > 0);
  json.end_object();

  report.text = json.text();
  report.ok = true;
  return report;
}

}  // namespace lunglens
