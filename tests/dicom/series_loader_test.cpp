#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "dicom/series_loader.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_SUITE("dicom loader") {

TEST_CASE("LIDC-IDRI-0001 loads") {
  const auto folder = test::data_path("ct/LIDC-IDRI-0001");
  if (!folder) return;
  const test::FileSet set = test::read_folder(*folder);
  const auto files = set.files();

  const auto start = std::chrono::steady_clock::now();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  std::printf("LIDC-IDRI-0001: scan + load %.3f s\n", seconds_since(start));
  for (const auto& d : loaded.diagnostics) std::printf("  %s\n", format_diagnostic(d).c_str());

  REQUIRE(loaded.ok);
  const Geometry& g = loaded.volume.geometry;
  CHECK(g.size[0] == 512);
  CHECK(g.size[1] == 512);
  CHECK(g.size[2] == 133);
  CHECK(g.spacing_mm[0] == doctest::Approx(0.703).epsilon(0.001));
  CHECK(g.spacing_mm[2] == doctest::Approx(2.5).epsilon(0.001));
}

}
