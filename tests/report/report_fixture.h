// A small, fully known report input shared by the report tests: two box
// lungs of 4.5 mL each (0.01 mL voxels), 75 GGO voxels in the right upper
// zone and 30 consolidation voxels in the left lower zone.
#pragma once

#include <filesystem>
#include <string>

#include "quantify/quantify.h"
#include "report/report_input.h"

namespace lunglens::test {

inline LungQuantification box_quantification() {
  Geometry geometry;
  geometry.size = {10, 10, 9};
  geometry.spacing_mm = {2.0, 2.0, 2.5};

  HuVolume volume;
  volume.geometry = geometry;
  LungSegmentation segmentation;
  segmentation.geometry = geometry;
  segmentation.lungs_found = true;
  const auto voxels = static_cast<std::size_t>(geometry.voxel_count());
  volume.int16_hu.assign(voxels, -850);
  segmentation.lungs.assign(voxels, 0);
  segmentation.lesions.assign(voxels, 0);

  for (std::int64_t k = 0; k < 9; ++k)
    for (std::int64_t j = 0; j < 10; ++j)
      for (std::int64_t i = 0; i < 10; ++i) {
        const auto index = static_cast<std::size_t>(geometry.linear_index(i, j, k));
        const bool right = i < 5;
        segmentation.lungs[index] = static_cast<std::uint8_t>(right ? LungLabel::right_lung : LungLabel::left_lung);
        if (right && k >= 6 && j < 5) {
          segmentation.lesions[index] = static_cast<std::uint8_t>(LesionLabel::ground_glass);
          volume.int16_hu[index] = -600;
        }
        if (!right && k < 3 && j < 2) {
          segmentation.lesions[index] = static_cast<std::uint8_t>(LesionLabel::consolidation);
          volume.int16_hu[index] = -50;
        }
      }
  return quantify(volume, segmentation);
}

inline ReportInput box_report_input() {
  ReportInput input;
  input.generated_at = "2024-05-01T12:00:00Z";
  input.series.series_instance_uid = "1.2.826.0.1.3680043.8.498.1";
  input.series.description = "Thorax 1.0 B70f";
  input.series.series_number = 3;
  input.series.patient_study.patient_name = "DOE, JANE";
  input.series.patient_study.patient_id = "PID-0042";
  input.series.patient_study.study_date = "2020-04-01";
  input.series.slice_count = 9;
  input.series.columns = 10;
  input.series.rows = 10;
  input.series.spacing_mm = {2.0, 2.0, 2.5};
  input.series.slice_step_mm = 2.5;
  input.load_diagnostics.push_back(
      {DiagnosticCode::missing_slice, Severity::warning, "IM0004.dcm", "gap of 5.0 mm after this slice"});
  input.segmentation_method.engine = "classical";
  input.segmentation_method.parameters = {
      {"lung_threshold", -400.0, "HU", 1, "voxels below this value are lung air"},
      {"closing_radius", 3.0, "mm", 1, "radius of the closing that follows the pleura"}};
  input.quantification = box_quantification();
  return input;
}

// Returns the box report input with the left upper zone unscored, as when it
// has no lung voxel: 5 of 6 zones scored.
inline ReportInput box_report_input_with_unscored_zone() {
  ReportInput input = box_report_input();
  input.quantification.left.zones[0].score.reset();
  input.quantification.both.scored_zones = 5;
  return input;
}

// Returns the path of schemas/report.schema.json in this source tree.
inline std::filesystem::path report_schema_path() {
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "schemas" /
         "report.schema.json";
}

}  // namespace lunglens::test
