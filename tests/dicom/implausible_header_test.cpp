#include <doctest/doctest.h>

#include <algorithm>

#include "dicom/dicom_test_files.h"
#include "dicom/series_loader.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

bool has_error_for(const Diagnostics& diagnostics, DiagnosticCode code, const std::string& file) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return d.code == code && d.file == file && d.severity != Severity::info;
  });
}

bool mentions(const Diagnostics& diagnostics, const std::string& file, const std::string& text) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return d.file == file && d.message.find(text) != std::string::npos;
  });
}

}  // namespace

TEST_SUITE("dicom implausible headers") {

TEST_CASE("implausible PixelSpacing leaves the series") {
  auto specs = axial_series(3, 2.0);
  FileSet set;
  for (std::size_t k = 0; k < specs.size(); ++k) {
    specs[k].pixel_spacing = k == 1 ? "1e308\\1e308" : "0.5\\0.5";
    set.add("slice-" + std::to_string(k) + ".dcm", build_dicom(specs[k]));
  }

  const ScanResult scan = scan_files(set.files());
  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == 2);
  CHECK(mentions(scan.diagnostics, "slice-1.dcm", "PixelSpacing"));
}

TEST_CASE("implausible position leaves the series") {
  auto specs = axial_series(3, 2.0);
  specs[2].position_mm = {0.0, 0.0, 1e300};
  FileSet set;
  for (std::size_t k = 0; k < specs.size(); ++k) set.add("slice-" + std::to_string(k) + ".dcm", build_dicom(specs[k]));

  const ScanResult scan = scan_files(set.files());
  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == 2);
  CHECK_FALSE(scan.series[0].gantry_tilt);
  CHECK(mentions(scan.diagnostics, "slice-2.dcm", "ImagePositionPatient"));
}

TEST_CASE("huge rescale values are errors") {
  auto specs = axial_series(3, 2.0);
  specs[0].rescale_slope = "1e30";
  specs[1].rescale_intercept = "-1e12";
  FileSet set;
  for (std::size_t k = 0; k < specs.size(); ++k) set.add("slice-" + std::to_string(k) + ".dcm", build_dicom(specs[k]));

  const ScanResult scan = scan_files(set.files());
  CHECK(has_error_for(scan.diagnostics, DiagnosticCode::invalid_rescale, "slice-0.dcm"));
  CHECK(has_error_for(scan.diagnostics, DiagnosticCode::invalid_rescale, "slice-1.dcm"));
  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == 1);
}

TEST_CASE("series without a decodable slice fails") {
  // JPEG-LS files whose frame header (SOF55, marker FF F7) declares 0 bits
  // per sample: the header pass accepts them, the decoder cannot.
  auto specs = axial_series(3, 2.0, 64, 64);
  FileSet set;
  for (std::size_t k = 0; k < specs.size(); ++k) {
    specs[k].transfer_syntax = kJpegLsLossless;
    auto bytes = build_dicom(specs[k]);
    const std::vector<std::uint8_t> sof{0xFF, 0xF7};
    auto at = std::search(bytes.begin(), bytes.end(), sof.begin(), sof.end());
    REQUIRE(at != bytes.end());
    *(at + 4) = 0;  // Marker (2 bytes), length (2 bytes), then the sample precision.
    set.add("slice-" + std::to_string(k) + ".dcm", bytes);
  }

  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  CHECK_FALSE(loaded.ok);
  CHECK(loaded.volume.voxel_count() == 0);
  for (const char* name : {"slice-0.dcm", "slice-1.dcm", "slice-2.dcm"})
    CHECK(has_error_for(loaded.diagnostics, DiagnosticCode::decode_failed, name));
  CHECK(std::any_of(loaded.diagnostics.begin(), loaded.diagnostics.end(), [](const Diagnostic& d) {
    return d.code == DiagnosticCode::decode_failed && d.file.empty() &&
           d.message.find("no slice") != std::string::npos;
  }));
}

}

TEST_SUITE("dicom implausible headers") {

TEST_CASE("Pixel Data longer than declared is an error") {
  auto specs = axial_series(3, 2.0);
  // Twice the samples the 6 x 4 matrix needs.
  specs[1].samples.assign(static_cast<std::size_t>(2 * specs[1].rows * specs[1].columns), 1024);
  specs[1].rows *= 2;
  auto doubled = build_dicom(specs[1]);
  specs[1].rows /= 2;
  FileSet set;
  set.add("slice-0.dcm", build_dicom(specs[0]));
  set.add("slice-2.dcm", build_dicom(specs[2]));

  // Rewrite Rows (0028,0010) US from 8 back to 4, leaving twice the data.
  const std::vector<std::uint8_t> rows_tag{0x28, 0x00, 0x10, 0x00, 'U', 'S', 0x02, 0x00, 0x08, 0x00};
  auto at = std::search(doubled.begin(), doubled.end(), rows_tag.begin(), rows_tag.end());
  REQUIRE(at != doubled.end());
  *(at + 8) = 0x04;
  set.add("slice-1.dcm", doubled);

  const ScanResult scan = scan_files(set.files());
  CHECK(has_error_for(scan.diagnostics, DiagnosticCode::pixel_data_size_mismatch, "slice-1.dcm"));
  REQUIRE(scan.series.size() == 1);
  CHECK(scan.series[0].slices.size() == 2);
}

}
