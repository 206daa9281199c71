#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "dicom/series_scan.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

// Scans the slices `kept` of a `count`-slice axial series with a 2.5 mm step,
// written with SliceThickness `thickness` (mm).
ScanResult scan_kept_slices(int count, const std::vector<int>& kept, const std::string& thickness) {
  const auto all = axial_series(count, 2.5);
  std::vector<SliceSpec> specs;
  for (const int k : kept) {
    SliceSpec spec = all[static_cast<std::size_t>(k)];
    spec.slice_thickness = thickness;
    specs.push_back(spec);
  }
  return scan_files(build_files(specs).files());
}

int count_code(const Diagnostics& diagnostics, DiagnosticCode code) {
  return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                        [&](const Diagnostic& d) { return d.code == code; }));
}

}  // namespace

TEST_SUITE("dicom scan") {

TEST_CASE("sorted by position not instance number") {
  auto specs = axial_series(5, 2.0);
  // Instance numbers run opposite to position; files are given shuffled.
  for (auto& spec : specs) spec.instance_number = 10 - spec.instance_number;
  std::swap(specs[0], specs[3]);
  std::swap(specs[1], specs[4]);
  const FileSet set = build_files(specs);
  const ScanResult scan = scan_files(set.files());

  REQUIRE(scan.series.size() == 1);
  const SeriesInfo& series = scan.series[0];
  REQUIRE(series.slices.size() == 5);
  for (std::size_t s = 0; s < 5; ++s) {
    CHECK(series.slices[s].position_along_normal_mm == doctest::Approx(50.0 + 2.0 * s));
    CHECK(series.slices[s].grid_index == static_cast<std::int64_t>(s));
  }
  CHECK(series.slice_step_mm == doctest::Approx(2.0));
  CHECK(series.uniform_step);
  CHECK(series.geometry.origin_mm == Vec3{-10.0, -20.0, 50.0});
  CHECK(series.geometry.size == std::array<std::int64_t, 3>{6, 4, 5});
  CHECK(series.estimated_bytes == 6 * 4 * 5 * 3);
}

TEST_CASE("missing slice is reported") {
  auto specs = axial_series(6, 2.5);
  specs.erase(specs.begin() + 2, specs.begin() + 4);  // Two neighbours missing.
  const ScanResult scan = scan_files(build_files(specs).files());

  REQUIRE(scan.series.size() == 1);
  const SeriesInfo& series = scan.series[0];
  CHECK(series.geometry.size[2] == 6);
  CHECK(series.missing_grid_indices == std::vector<std::int64_t>{2, 3});
  CHECK(series.slice_step_mm == doctest::Approx(2.5));
  REQUIRE(count_code(series.diagnostics, DiagnosticCode::missing_slice) == 1);
  const auto missing = std::find_if(series.diagnostics.begin(), series.diagnostics.end(),
                                    [](const Diagnostic& d) { return d.code == DiagnosticCode::missing_slice; });
  CHECK(missing->message.find("2 slice(s) missing between positions 52.500 and 60.000 mm") != std::string::npos);
}

TEST_CASE("non-uniform steps are reported") {
  auto specs = axial_series(5, 2.0);
  specs[3].position_mm[2] += 0.7;
  specs[4].position_mm[2] += 0.7;
  const ScanResult scan = scan_files(build_files(specs).files());
  REQUIRE(scan.series.size() == 1);
  CHECK_FALSE(scan.series[0].uniform_step);
  CHECK(scan.series[0].irregular_step);  // Steps of 2.0 and 2.7 mm: 35 % apart.
  CHECK(scan.series[0].geometry.size[2] == 5);
  CHECK(count_code(scan.series[0].diagnostics, DiagnosticCode::nonuniform_slice_step) == 1);
}

TEST_CASE("slight step jitter is approximate") {
  auto specs = axial_series(5, 2.0);
  specs[3].position_mm[2] += 0.25;  // Steps of 2.0 and 2.25 mm: 12.5 % apart.
  specs[4].position_mm[2] += 0.25;
  const ScanResult scan = scan_files(build_files(specs).files());
  REQUIRE(scan.series.size() == 1);
  CHECK_FALSE(scan.series[0].uniform_step);
  CHECK_FALSE(scan.series[0].irregular_step);
}

TEST_CASE("scattered files find their grid") {
  // Files 0, 3, 6, 10, 13 and 16 of a 2.5 mm series: steps of 7.5 and 10 mm,
  // whose common step 2.5 mm none of them shows.
  const std::vector<int> kept{0, 3, 6, 10, 13, 16};
  const ScanResult scan = scan_kept_slices(17, kept, "2.5");
  REQUIRE(scan.series.size() == 1);
  const SeriesInfo& series = scan.series[0];
  CHECK(series.uniform_step);
  CHECK(series.slice_step_mm == doctest::Approx(2.5));
  CHECK(series.geometry.size[2] == 17);
  for (std::size_t s = 0; s < kept.size(); ++s) CHECK(series.slices[s].grid_index == kept[s]);
}

TEST_CASE("instance order against positions") {
  // Files 5 and 15 of 40 swap their positions: the numbers break twice.
  auto specs = axial_series(40, 2.0);
  std::swap(specs[4].position_mm, specs[14].position_mm);
  const ScanResult scan = scan_files(build_files(specs).files());
  REQUIRE(scan.series.size() == 1);
  REQUIRE(count_code(scan.series[0].diagnostics, DiagnosticCode::instance_order_mismatch) == 1);
  const auto warning = std::find_if(scan.series[0].diagnostics.begin(), scan.series[0].diagnostics.end(),
                                    [](const Diagnostic& d) { return d.code == DiagnosticCode::instance_order_mismatch; });
  CHECK(warning->message.find("at 2 place(s): slice-15.dcm (15) then slice-6.dcm (6)") != std::string::npos);

  // In order, or numbered without order: no warning.
  CHECK(count_code(scan_files(build_files(axial_series(20, 2.0)).files()).series[0].diagnostics,
                   DiagnosticCode::instance_order_mismatch) == 0);
  auto unordered = axial_series(20, 2.0);
  for (std::size_t k = 0; k < unordered.size(); ++k) unordered[k].instance_number = int((k * 7) % 20) + 1;
  CHECK(count_code(scan_files(build_files(unordered).files()).series[0].diagnostics,
                   DiagnosticCode::instance_order_mismatch) == 0);
}

TEST_CASE("more double steps than single ones") {
  // Grid slices 0, 2, 4, 6, 7, 9, 11, 13, 14 of a 2.5 mm grid: the median step
  // (5 mm) is a multiple, so the grid takes the smallest step.
  const std::vector<int> kept{0, 2, 4, 6, 7, 9, 11, 13, 14};
  const ScanResult scan = scan_kept_slices(15, kept, "1");

  REQUIRE(scan.series.size() == 1);
  const SeriesInfo& series = scan.series[0];
  CHECK(series.uniform_step);
  CHECK(series.slice_step_mm == doctest::Approx(2.5));
  CHECK(series.geometry.size[2] == 15);
  CHECK(series.geometry.spacing_mm[2] == doctest::Approx(2.5));
  CHECK(series.missing_grid_indices == std::vector<std::int64_t>{1, 3, 5, 8, 10, 12});
  for (std::size_t s = 0; s < kept.size(); ++s) CHECK(series.slices[s].grid_index == kept[s]);
}

TEST_CASE("byte-identical duplicate dropped") {
  const auto specs = axial_series(3, 2.0);
  FileSet set = build_files(specs);
  set.add("copy-of-slice-2.dcm", build_dicom(specs[1]));
  const ScanResult scan = scan_files(set.files());
  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == 3);
  CHECK(count_code(scan.series[0].diagnostics, DiagnosticCode::duplicate_slice_dropped) == 1);
}

// A cut copy of a JPEG-LS slice: its encapsulated Pixel Data has no length
// to check at scan time, so it is found as a second copy of the instance.
TEST_CASE("truncated copy of an instance dropped") {
  const auto folder = data_path("ct/LIDC-IDRI-0001");
  if (!folder) return;
  const auto paths = list_files(*folder);
  REQUIRE(paths.size() > 10);
  std::vector<std::uint8_t> cut = read_file(paths[10]);
  cut.resize(cut.size() * 6 / 10);

  FileSet set;
  set.add("cut-copy.dcm", cut);  // Before the complete copy: the larger file must still win.
  for (const auto& path : paths) set.add_path(path);
  const ScanResult scan = scan_files(set.files());

  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == paths.size());
  const auto& diagnostics = scan.series[0].diagnostics;
  const auto dropped = std::find_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
    return d.code == DiagnosticCode::duplicate_slice_dropped;
  });
  REQUIRE(dropped != diagnostics.end());
  CHECK(dropped->file == "cut-copy.dcm");
  CHECK(dropped->message.find("smaller copy") != std::string::npos);
  CHECK(count_code(diagnostics, DiagnosticCode::acquisitions_split) == 0);
}

TEST_CASE("two acquisitions at the same positions") {
  auto first = axial_series(4, 2.0);
  auto second = axial_series(4, 2.0);
  for (auto& spec : second) {
    spec.acquisition_number = 2;
    spec.instance_number += 10;
    for (auto& sample : spec.samples) sample += 7;  // Different content.
  }
  first.insert(first.end(), second.begin(), second.end());
  const ScanResult scan = scan_files(build_files(first).files());

  REQUIRE(scan.series.size() == 2);
  for (const SeriesInfo& series : scan.series) {
    CHECK(series.slices.size() == 4);
    CHECK(series.geometry.size[2] == 4);
    CHECK(count_code(series.diagnostics, DiagnosticCode::acquisitions_split) == 1);
  }
  CHECK(scan.series[0].id != scan.series[1].id);
  CHECK(scan.headers[scan.series[0].slices[0].file_index].acquisition_number !=
        scan.headers[scan.series[1].slices[0].file_index].acquisition_number);
}

TEST_CASE("same acquisition number still split") {
  auto first = axial_series(3, 2.0);
  auto second = axial_series(3, 2.0);
  for (auto& spec : second) {
    spec.instance_number += 10;
    for (auto& sample : spec.samples) sample += 7;
  }
  first.insert(first.end(), second.begin(), second.end());
  const ScanResult scan = scan_files(build_files(first).files());
  REQUIRE(scan.series.size() == 2);
  CHECK(scan.series[0].slices.size() == 3);
  CHECK(scan.series[1].slices.size() == 3);
}

TEST_CASE("localizer, dose SR and DICOMDIR left out") {
  const auto specs = axial_series(3, 2.0);
  FileSet set = build_files(specs);
  SliceSpec scout = specs[0];
  scout.image_type = "ORIGINAL\\PRIMARY\\LOCALIZER";
  scout.orientation = {1, 0, 0, 0, 0, -1};
  scout.instance_number = 100;
  set.add("scout.dcm", build_dicom(scout));
  set.add("dose.dcm", build_dose_sr(specs[0].series_uid));
  set.add("DICOMDIR", build_dicomdir());
  const ScanResult scan = scan_files(set.files());

  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == 3);
  CHECK(scan.headers[3].kind == FileKind::localizer);
  CHECK(scan.headers[4].kind == FileKind::structured_report);
  CHECK(scan.headers[5].kind == FileKind::dicomdir);
  CHECK(count_code(scan.diagnostics, DiagnosticCode::localizer) == 1);
  CHECK(count_code(scan.diagnostics, DiagnosticCode::structured_report) == 1);
  CHECK(count_code(scan.diagnostics, DiagnosticCode::dicomdir) == 1);
  for (const Diagnostic& d : scan.diagnostics) CHECK(!d.file.empty());
}

TEST_CASE("geometry split") {
  auto specs = axial_series(4, 2.0);
  specs[3].rows = 8;
  specs[3].samples.resize(48, 1024);
  const ScanResult scan = scan_files(build_files(specs).files());
  REQUIRE(scan.series.size() == 2);
  CHECK(scan.series[0].slices.size() == 3);
  CHECK(scan.series[1].slices.size() == 1);
  CHECK(count_code(scan.series[0].diagnostics, DiagnosticCode::inconsistent_geometry_split) == 1);
}

TEST_CASE("gantry tilt keeps the shear") {
  const double tilt_degrees = 15.0;
  const double step = 2.0;
  auto specs = axial_series(5, step);
  // A tilted gantry shifts each slice origin along y (column direction).
  for (std::size_t k = 0; k < specs.size(); ++k)
    specs[k].position_mm[1] += k * step * std::tan(tilt_degrees * 3.14159265358979 / 180.0);
  const ScanResult scan = scan_files(build_files(specs).files());

  REQUIRE(scan.series.size() == 1);
  const SeriesInfo& series = scan.series[0];
  CHECK(series.gantry_tilt);
  CHECK(series.gantry_tilt_degrees == doctest::Approx(tilt_degrees).epsilon(1e-3));
  CHECK(count_code(series.diagnostics, DiagnosticCode::gantry_tilt) == 1);
  CHECK_FALSE(series.geometry.is_orthonormal());
  CHECK(series.slice_step_mm == doctest::Approx(step));
  // Voxel (0, 0, k) sits at the IPP of slice k.
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const Vec3 p = series.geometry.index_to_lps({0.0, 0.0, double(k)});
    CHECK(p[1] == doctest::Approx(specs[k].position_mm[1]));
    CHECK(p[2] == doctest::Approx(specs[k].position_mm[2]));
  }
}

TEST_CASE("no series among non-images") {
  FileSet set;
  set.add("dose.dcm", build_dose_sr("1.2.3"));
  const ScanResult scan = scan_files(set.files());
  CHECK(scan.series.empty());
  CHECK(count_code(scan.diagnostics, DiagnosticCode::no_series) == 1);
}

}
