#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "dicom/header_reader.h"
#include "dicom/pixel_decoder.h"
#include "dicom/series_loader.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;

TEST_SUITE("dicom corpus") {

TEST_CASE("survey") {
  const auto folder = test::data_path("decoder");
  if (!folder) return;
  const test::FileSet set = test::read_folder(*folder);
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  for (const auto& d : scan.diagnostics) std::printf("SCAN %s\n", format_diagnostic(d).c_str());
  for (std::size_t s = 0; s < scan.series.size(); ++s) {
    const auto& series = scan.series[s];
    const LoadResult loaded = load_series(scan, s, files);
    std::printf("SERIES %s n=%zu size %lld %lld %lld ok=%d type=%d first=%s\n", series.id.c_str(), series.slices.size(),
                (long long)series.geometry.size[0], (long long)series.geometry.size[1], (long long)series.geometry.size[2],
                loaded.ok, (int)loaded.volume.voxel_type, files[series.slices[0].file_index].name.c_str());
    for (const auto& d : loaded.diagnostics) std::printf("   %s\n", format_diagnostic(d).c_str());
  }
  // Direct decode of everything with pixel data.
  for (std::size_t f = 0; f < files.size(); ++f) {
    const auto header = read_file_header(files[f], f).header;
    if (!header.has_pixel_data || header.rows == 0) continue;
    DecodedPixels pixels;
    FileHeader forced = header;
    const auto error = decode_pixels(files[f], forced, pixels);
    std::printf("DECODE %s kind=%d %s\n", files[f].name.c_str(), (int)header.kind, error ? format_diagnostic(*error).c_str() : "ok");
  }
}

}
