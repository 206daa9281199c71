#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "dicom/header_reader.h"
#include "dicom/pixel_decoder.h"
#include "dicom/series_loader.h"
#include "dicom/dicom_test_files.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

// Loads the single image in `relative` (under the data folder) as a volume.
std::optional<LoadResult> load_one(const std::string& relative) {
  const auto path = data_path(relative);
  if (!path) return std::nullopt;
  FileSet set;
  set.add_path(*path);
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE_MESSAGE(scan.series.size() == 1, relative);
  return load_series(scan, 0, files);
}

// Lossy codecs move the padding value (-2000 stored in CT1) off the exact
// PixelPaddingValue, so errors are measured where the reference is not padding.
int max_abs_difference(const HuVolume& a, const HuVolume& reference) {
  int largest = 0;
  for (std::int64_t v = 0; v < a.voxel_count(); ++v)
    if (!reference.is_padding(v)) largest = std::max(largest, static_cast<int>(std::abs(a.hu_at(v) - reference.hu_at(v))));
  return largest;
}

double mean_abs_difference(const HuVolume& a, const HuVolume& reference) {
  double sum = 0.0;
  std::int64_t count = 0;
  for (std::int64_t v = 0; v < a.voxel_count(); ++v)
    if (!reference.is_padding(v)) {
      sum += std::abs(a.hu_at(v) - reference.hu_at(v));
      ++count;
    }
  return sum / double(count);
}

}  // namespace

TEST_SUITE("dicom corpus") {

TEST_CASE("lossless WG04 decode bit-identical") {
  for (const std::string prefix : {"decoder/wg04/CT1_", "decoder/wg04/CT2_"}) {
    const auto reference = load_one(prefix + "UNC");
    if (!reference) return;
    REQUIRE(reference->ok);
    for (const std::string syntax : {"JPLL", "JLSL", "J2KR", "RLE"}) {
      CAPTURE(prefix + syntax);
      const auto loaded = load_one(prefix + syntax);
      REQUIRE(loaded);
      REQUIRE(loaded->ok);
      CHECK(loaded->volume.int16_hu == reference->volume.int16_hu);
      CHECK(loaded->volume.padding_mask == reference->volume.padding_mask);
    }
  }
}

TEST_CASE("lossy WG04 within bounds") {
  for (const std::string prefix : {"decoder/wg04/CT1_", "decoder/wg04/CT2_"}) {
    const auto reference = load_one(prefix + "UNC");
    if (!reference) return;
    const auto near_lossless = load_one(prefix + "JLSN");
    const auto lossy = load_one(prefix + "J2KI");
    REQUIRE(near_lossless->ok);
    REQUIRE(lossy->ok);
    // JPEG-LS near-lossless with NEAR 4 bounds every stored value error by 4.
    CHECK(max_abs_difference(near_lossless->volume, reference->volume) <= 4);
    CHECK(max_abs_difference(near_lossless->volume, reference->volume) > 0);

    // JPEG 2000 lossy has no per-voxel bound: the mean absolute error stays
    // at the level of CT noise (measured 28 HU for CT1, 18 HU for CT2) and
    // the mean HU, which a lossy wavelet coder preserves, stays put.
    const double mean_error_hu = mean_abs_difference(lossy->volume, reference->volume);
    MESSAGE(prefix << "J2KI mean absolute error " << mean_error_hu << " HU");
    CHECK(mean_error_hu > 0.0);
    CHECK(mean_error_hu < 40.0);
    double lossy_sum = 0.0;
    double reference_sum = 0.0;
    std::int64_t count = 0;
    for (std::int64_t v = 0; v < reference->volume.voxel_count(); ++v)
      if (!reference->volume.is_padding(v)) {
        lossy_sum += lossy->volume.hu_at(v);
        reference_sum += reference->volume.hu_at(v);
        ++count;
      }
    CHECK(std::abs(lossy_sum - reference_sum) / double(count) < 5.0);
  }
}

TEST_CASE("every decoder file loads or fails cleanly") {
  const auto folder = data_path("decoder");
  if (!folder) return;
  const FileSet set = read_folder(*folder);
  const auto files = set.files();
  const ScanResult scan = scan_files(files);

  std::set<std::size_t> accounted;
  for (const Diagnostic& d : scan.diagnostics)
    for (std::size_t f = 0; f < files.size(); ++f)
      if (files[f].name == d.file) accounted.insert(f);

  for (std::size_t s = 0; s < scan.series.size(); ++s) {
    const LoadResult loaded = load_series(scan, s, files);
    CAPTURE(scan.series[s].id);
    CHECK(loaded.ok);
    for (const SeriesSlice& slice : scan.series[s].slices) accounted.insert(slice.file_index);
    for (const Diagnostic& d : scan.series[s].diagnostics)  // Copies of an instance dropped, by name.
      for (std::size_t f = 0; f < files.size(); ++f)
        if (d.code == DiagnosticCode::duplicate_slice_dropped && files[f].name == d.file) accounted.insert(f);
    for (const Diagnostic& d : loaded.diagnostics)
      if (d.severity == Severity::error) CHECK(!d.file.empty());
  }
  for (std::size_t f = 0; f < files.size(); ++f) {
    CAPTURE(files[f].name);
    CHECK(accounted.count(f) == 1);
  }

  // The decoder itself, forced onto every file with pixel data whatever its
  // kind (SEG, colour, 1-bit, crafted J2K), must return a result or an error.
  int decoded = 0;
  int failed = 0;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const FileHeader header = read_file_header(files[f], f).header;
    if (!header.has_pixel_data || header.rows == 0) continue;
    DecodedPixels pixels;
    const auto error = decode_pixels(files[f], header, pixels);
    if (error) {
      ++failed;
      CHECK(error->file == files[f].name);
    } else {
      ++decoded;
      CHECK(pixels.buffer.size() ==
            static_cast<std::size_t>(pixels.frame_samples * pixels.frames * pixels.format.bits_allocated / 8));
    }
  }
  MESSAGE("decoder files: " << decoded << " decoded, " << failed << " clean errors");
  CHECK(decoded > 30);
}

TEST_CASE("hostile liver J2K files") {
  for (const std::string name : {"decoder/pydicom-data/liver_j2k.dcm", "decoder/pydicom-data/liver_nonbyte_aligned_j2k.dcm"}) {
    const auto path = data_path(name);
    if (!path) return;
    FileSet set;
    set.add_path(*path);
    const auto files = set.files();
    const ScanResult scan = scan_files(files);
    CHECK(scan.headers[0].kind == FileKind::segmentation_object);
    CHECK(scan.series.empty());

    DecodedPixels pixels;
    const auto error = decode_pixels(files[0], scan.headers[0], pixels);
    if (!error)
      CHECK(pixels.buffer.size() ==
            static_cast<std::size_t>(pixels.frame_samples * pixels.frames * pixels.format.bits_allocated / 8));
  }
}

TEST_CASE("enhanced CT supplemental") {
  const auto loaded = load_one("decoder/pydicom-testfiles/eCT_Supplemental.dcm");
  if (!loaded) return;
  REQUIRE(loaded->ok);
  CHECK(loaded->volume.geometry.size[2] == 2);
  CHECK(loaded->volume.geometry.size[0] == 512);
  CHECK(loaded->volume.geometry.size[1] == 512);
}

TEST_CASE("special encodings decode") {
  // Bare data set after one stray byte, CT.
  const auto bare = load_one("decoder/pydicom-testfiles/no_meta.dcm");
  const auto with_meta = load_one("decoder/pydicom-testfiles/CT_small.dcm");
  if (!bare || !with_meta) return;
  REQUIRE(bare->ok);
  REQUIRE(with_meta->ok);
  CHECK(bare->volume.int16_hu == with_meta->volume.int16_hu);

  // Deflate, 12-bit extended JPEG and big endian: secondary captures and a
  // colour image, so decoded directly rather than as volumes.
  for (const std::string name : {"decoder/pydicom-testfiles/image_dfl.dcm", "decoder/pydicom-testfiles/JPEG-lossy.dcm",
                                 "decoder/pydicom-testfiles/emri_small_big_endian.dcm"}) {
    CAPTURE(name);
    const auto path = data_path(name);
    if (!path) return;
    FileSet set;
    set.add_path(*path);
    const auto files = set.files();
    const FileHeader header = read_file_header(files[0], 0).header;
    DecodedPixels pixels;
    const auto error = decode_pixels(files[0], header, pixels);
    CHECK_FALSE(error.has_value());
    CHECK(pixels.frame_samples == std::int64_t(header.rows) * header.columns);
  }

  // Big endian decodes like its little-endian twin.
  const auto big = data_path("decoder/pydicom-testfiles/emri_small_big_endian.dcm");
  const auto little = data_path("decoder/pydicom-testfiles/emri_small.dcm");
  if (!big || !little) return;
  FileSet pair;
  pair.add_path(*big);
  pair.add_path(*little);
  const auto files = pair.files();
  DecodedPixels big_pixels, little_pixels;
  REQUIRE_FALSE(decode_pixels(files[0], read_file_header(files[0], 0).header, big_pixels).has_value());
  REQUIRE_FALSE(decode_pixels(files[1], read_file_header(files[1], 1).header, little_pixels).has_value());
  CHECK(big_pixels.buffer == little_pixels.buffer);

  // The RGB big-endian file is rejected with a reason, not decoded as grey.
  const auto colour = data_path("decoder/pydicom-testfiles/ExplVR_BigEnd.dcm");
  if (!colour) return;
  FileSet colour_set;
  colour_set.add_path(*colour);
  const auto colour_result = read_file_header(colour_set.files()[0], 0);
  CHECK(colour_result.header.kind == FileKind::unsupported_image);
  CHECK(colour_result.header.transfer_syntax_uid == "1.2.840.10008.1.2.2");
}

}
