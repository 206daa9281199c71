#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <thread>

#include "dicom/series_loader.h"
#include "dicom/dicom_test_files.h"
#include "parallel/parallel_for.h"
#include "volume/reorient.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int count_code(const Diagnostics& diagnostics, DiagnosticCode code) {
  return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                        [&](const Diagnostic& d) { return d.code == code; }));
}

// Scans and loads the first series of `set`.
LoadResult load_first(const FileSet& set, const LoadOptions& options = {}) {
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE(!scan.series.empty());
  return load_series(scan, 0, files, options);
}

// A single slice whose first pixel has raw value `raw`.
SliceSpec slice_with(std::uint32_t raw) {
  SliceSpec spec;
  spec.samples.assign(static_cast<std::size_t>(spec.rows * spec.columns), 0);
  spec.samples[0] = raw;
  return spec;
}

// Mean HU over a box of voxels (inclusive bounds).
double mean_hu(const HuVolume& volume, std::array<std::int64_t, 3> low, std::array<std::int64_t, 3> high) {
  double sum = 0.0;
  std::int64_t count = 0;
  for (std::int64_t k = low[2]; k <= high[2]; ++k)
    for (std::int64_t j = low[1]; j <= high[1]; ++j)
      for (std::int64_t i = low[0]; i <= high[0]; ++i) {
        sum += volume.hu_at(volume.geometry.linear_index(i, j, k));
        ++count;
      }
  return sum / double(count);
}

std::int64_t flagged_voxels(const HuVolume& volume) {
  return std::count(volume.padding_mask.begin(), volume.padding_mask.end(), std::uint8_t{1});
}

}  // namespace

TEST_SUITE("dicom loader") {

TEST_CASE("HU of a synthetic series") {
  const LoadResult loaded = load_first(build_files(axial_series(3, 2.0)));
  REQUIRE(loaded.ok);
  const HuVolume& volume = loaded.volume;
  CHECK(volume.voxel_type == VoxelType::int16);
  CHECK(volume.padding_mask.empty());
  for (std::int64_t k = 0; k < 3; ++k)
    for (std::int64_t s = 0; s < 24; ++s) CHECK(volume.int16_hu[k * 24 + s] == 100 * k + s);
  CHECK(volume.geometry.spacing_mm == Vec3{0.5, 0.5, 2.0});
}

TEST_CASE("signed 12-bit 0x0F00 reads -256 HU") {
  SliceSpec spec = slice_with(0x0F00);
  spec.bits_stored = 12;
  spec.high_bit = 11;
  spec.rescale_intercept = "0";
  FileSet set;
  set.add("s.dcm", build_dicom(spec));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.hu_at(0) == -256.0f);
}

TEST_CASE("junk above BitsStored ignored") {
  SliceSpec spec = slice_with(0xF123);  // Overlay or junk in bits 12-15.
  spec.bits_stored = 12;
  spec.high_bit = 11;
  spec.pixel_representation = 0;
  spec.rescale_intercept = "-1024";
  FileSet set;
  set.add("s.dcm", build_dicom(spec));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.hu_at(0) == 0x123 - 1024);
}

TEST_CASE("fractional slope gives float32") {
  for (const std::string slope : {"0.01", " 1.0E-2 "}) {
    SliceSpec spec = slice_with(12345);
    spec.rescale_slope = slope;
    spec.rescale_intercept = "-1000";
    FileSet set;
    set.add("s.dcm", build_dicom(spec));
    const LoadResult loaded = load_first(set);
    REQUIRE(loaded.ok);
    CHECK(loaded.volume.voxel_type == VoxelType::float32);
    CHECK(loaded.volume.hu_at(0) == doctest::Approx(123.45 - 1000.0));
    CHECK(count_code(loaded.diagnostics, DiagnosticCode::lossy_rescale) == 1);
  }
}

TEST_CASE("missing rescale is identity with warning") {
  SliceSpec spec = slice_with(40);
  spec.rescale_slope.reset();
  spec.rescale_intercept.reset();
  FileSet set;
  set.add("s.dcm", build_dicom(spec));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.hu_at(0) == 40.0f);
  CHECK(count_code(loaded.diagnostics, DiagnosticCode::missing_rescale) == 1);
}

TEST_CASE("values outside int16 give float32") {
  SliceSpec spec = slice_with(32767);
  spec.rescale_intercept = "1000";
  FileSet set;
  set.add("s.dcm", build_dicom(spec));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.voxel_type == VoxelType::float32);
  CHECK(loaded.volume.hu_at(0) == 33767.0f);
}

TEST_CASE("transfer syntaxes decode identically") {
  const auto reference = load_first(build_files(axial_series(2, 3.0, 64, 64)));
  REQUIRE(reference.ok);
  for (const char* syntax : {kImplicitLittleEndian, kExplicitBigEndian, kJpegLosslessSv1, kJpegLsLossless,
                             kJpeg2000Lossless, kRleLossless}) {
    CAPTURE(syntax);
    auto specs = axial_series(2, 3.0, 64, 64);
    for (auto& spec : specs) spec.transfer_syntax = syntax;
    const auto loaded = load_first(build_files(specs));
    REQUIRE(loaded.ok);
    CHECK(loaded.volume.int16_hu == reference.volume.int16_hu);
  }
}

TEST_CASE("bare data set and private sequence") {
  auto specs = axial_series(2, 3.0);
  for (auto& spec : specs) {
    spec.transfer_syntax = kImplicitLittleEndian;
    spec.private_sequence = true;
  }
  FileSet set;
  for (const auto& spec : specs) set.add("bare", strip_preamble_and_meta(build_dicom(spec)));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.int16_hu[24 + 5] == 105);
}

TEST_CASE("non-square pixels") {
  auto specs = axial_series(2, 3.0);
  for (auto& spec : specs) spec.pixel_spacing = "0.5\\1.0";
  const LoadResult loaded = load_first(build_files(specs));
  REQUIRE(loaded.ok);
  // PixelSpacing is row spacing (between rows, along j) then column spacing (along i).
  CHECK(loaded.volume.geometry.spacing_mm[0] == 1.0);
  CHECK(loaded.volume.geometry.spacing_mm[1] == 0.5);
  CHECK(loaded.volume.geometry.spacing_mm[2] == 3.0);
}

TEST_CASE("patient positions give one canonical volume") {
  // The same object, f(x, y, z) in LPS mm, sampled by head-first supine,
  // feet-first supine and head-first prone series.
  auto object_value = [](const Vec3& p) {
    return static_cast<std::uint32_t>(1024 + std::lround(2 * (p[0] + 10)) + 10 * std::lround(2 * (p[1] + 20)) +
                                      100 * std::lround((p[2] - 50) / 2));
  };
  struct Pose {
    std::array<double, 6> orientation;
    Vec3 first_pixel;  // LPS of pixel (0, 0) of every slice, z set per slice.
  };
  const Pose poses[] = {
      {{1, 0, 0, 0, 1, 0}, {-10.0, -20.0, 0}},   // HFS
      {{-1, 0, 0, 0, 1, 0}, {-7.5, -20.0, 0}},   // FFS
      {{-1, 0, 0, 0, -1, 0}, {-7.5, -18.5, 0}},  // HFP
  };

  std::vector<HuVolume> canonical;
  for (const Pose& pose : poses) {
    std::vector<SliceSpec> specs;
    for (int k = 0; k < 3; ++k) {
      SliceSpec spec;
      spec.orientation = pose.orientation;
      spec.position_mm = {pose.first_pixel[0], pose.first_pixel[1], 50.0 + 2.0 * k};
      spec.instance_number = k + 1;
      for (int j = 0; j < spec.rows; ++j)
        for (int i = 0; i < spec.columns; ++i) {
          const Vec3 p{spec.position_mm[0] + i * 0.5 * pose.orientation[0] + j * 0.5 * pose.orientation[3],
                       spec.position_mm[1] + i * 0.5 * pose.orientation[1] + j * 0.5 * pose.orientation[4],
                       spec.position_mm[2]};
          spec.samples.push_back(object_value(p));
        }
      specs.push_back(spec);
    }
    const LoadResult loaded = load_first(build_files(specs));
    REQUIRE(loaded.ok);
    canonical.push_back(reorient_to_canonical(loaded.volume));
  }

  for (std::size_t p = 1; p < canonical.size(); ++p) {
    CHECK(canonical[p].int16_hu == canonical[0].int16_hu);
    CHECK(canonical[p].geometry.size == canonical[0].geometry.size);
    for (int a = 0; a < 3; ++a) CHECK(canonical[p].geometry.origin_mm[a] == doctest::Approx(canonical[0].geometry.origin_mm[a]));
  }
}

TEST_CASE("enhanced CT with per-frame intercepts") {
  SliceSpec spec;
  spec.sop_class_uid = kEnhancedCtImageStorage;
  // Frames stored from head to feet; each frame's stored values are 2000.
  spec.frames = {{{-10, -20, 54}, "-1000"}, {{-10, -20, 52}, "-1024"}, {{-10, -20, 50}, "-1100"}};
  spec.samples.assign(static_cast<std::size_t>(spec.rows * spec.columns * 3), 2000);
  FileSet set;
  set.add("enhanced.dcm", build_dicom(spec));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  const HuVolume& volume = loaded.volume;
  REQUIRE(volume.geometry.size[2] == 3);
  CHECK(volume.geometry.origin_mm[2] == 50.0);
  CHECK(volume.hu_at(volume.geometry.linear_index(0, 0, 0)) == 900.0f);   // z 50: frame 3
  CHECK(volume.hu_at(volume.geometry.linear_index(0, 0, 1)) == 976.0f);   // z 52: frame 2
  CHECK(volume.hu_at(volume.geometry.linear_index(5, 3, 2)) == 1000.0f);  // z 54: frame 1
}

TEST_CASE("padding value and range") {
  SliceSpec spec = slice_with(0xF830);  // -2000 stored, signed.
  spec.samples[1] = 0xF831;             // -1999
  spec.samples[2] = 0xF82F;             // -2001: outside the padding range.
  spec.padding_value = 63536;           // -2000 written as unsigned.
  FileSet set;
  set.add("s.dcm", build_dicom(spec));
  LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.hu_at(0) == kPaddingHu);
  CHECK(loaded.volume.is_padding(0));
  CHECK_FALSE(loaded.volume.is_padding(1));
  CHECK(loaded.volume.hu_at(1) == -1999 - 1024);

  spec.padding_range_limit = 0xF831;
  FileSet ranged;
  ranged.add("s.dcm", build_dicom(spec));
  loaded = load_first(ranged);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.is_padding(0));
  CHECK(loaded.volume.is_padding(1));
  CHECK_FALSE(loaded.volume.is_padding(2));
  CHECK(loaded.volume.hu_at(2) == -2001 - 1024);
  CHECK(flagged_voxels(loaded.volume) == 2);
}

TEST_CASE("declared padding that no voxel stores warns") {
  SliceSpec spec = slice_with(0xFC00);  // -1024 stored everywhere.
  spec.padding_value = 63536;           // -2000 declared.
  FileSet set;
  set.add("s.dcm", build_dicom(spec));
  const LoadResult loaded = load_first(set);
  REQUIRE(loaded.ok);
  CHECK(flagged_voxels(loaded.volume) == 0);
  const auto warning = std::find_if(loaded.diagnostics.begin(), loaded.diagnostics.end(), [](const Diagnostic& d) {
    return d.code == DiagnosticCode::pixel_padding && d.severity == Severity::warning;
  });
  REQUIRE(warning != loaded.diagnostics.end());
  CHECK(warning->message.find("no decoded voxel stores it") != std::string::npos);
}

TEST_CASE("missing slice filled and flagged") {
  auto specs = axial_series(5, 2.0);
  specs.erase(specs.begin() + 2);
  const LoadResult loaded = load_first(build_files(specs));
  REQUIRE(loaded.ok);
  const HuVolume& volume = loaded.volume;
  REQUIRE(volume.geometry.size[2] == 5);
  CHECK(count_code(loaded.diagnostics, DiagnosticCode::missing_slice) == 1);
  for (std::int64_t s = 0; s < 24; ++s) {
    CHECK(volume.int16_hu[2 * 24 + s] == kPaddingHu);
    CHECK(volume.is_padding(2 * 24 + s));
    CHECK(volume.int16_hu[3 * 24 + s] == 300 + s);
    CHECK_FALSE(volume.is_padding(3 * 24 + s));
  }
}

TEST_CASE("bad files give per-file errors") {
  const std::int64_t n = 64 * 64;
  auto specs = axial_series(5, 2.0, 64, 64);
  // Slice 1 ends inside Pixel Data; slice 3 is a JPEG-LS file whose
  // codestream is cut, which only the decoder can notice.
  SliceSpec compressed = specs[3];
  compressed.transfer_syntax = kJpegLsLossless;
  auto cut = build_dicom(compressed);
  cut.resize(cut.size() - 30);
  FileSet with_cut;
  for (int k = 0; k < 5; ++k) {
    auto bytes = build_dicom(specs[k]);
    if (k == 1) bytes.resize(bytes.size() - 20);  // Ends inside Pixel Data.
    with_cut.add("slice-" + std::to_string(k) + ".dcm", k == 3 ? cut : bytes);
  }
  std::mt19937 random(3);
  std::vector<std::uint8_t> noise(2000);
  for (auto& b : noise) b = static_cast<std::uint8_t>(random());
  with_cut.add("noise.bin", noise);

  const auto files = with_cut.files();
  const ScanResult scan = scan_files(files);
  CHECK(count_code(scan.diagnostics, DiagnosticCode::truncated_file) == 1);
  CHECK(count_code(scan.diagnostics, DiagnosticCode::not_dicom) == 1);
  for (const Diagnostic& d : scan.diagnostics) {
    if (d.code == DiagnosticCode::truncated_file) CHECK(d.file == "slice-1.dcm");
    if (d.code == DiagnosticCode::not_dicom) CHECK(d.file == "noise.bin");
  }

  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  REQUIRE(loaded.ok);
  CHECK(loaded.volume.geometry.size[2] == 5);
  for (std::int64_t s = 0; s < n; ++s) {
    CHECK(loaded.volume.int16_hu[0 * n + s] == s);
    CHECK(loaded.volume.is_padding(1 * n + s));
    CHECK(loaded.volume.int16_hu[4 * n + s] == 400 + s);
  }
  // The cut JPEG-LS slice either fails with an error naming it, or decodes.
  const bool cut_failed = std::any_of(loaded.diagnostics.begin(), loaded.diagnostics.end(), [](const Diagnostic& d) {
    return d.severity == Severity::error && d.file == "slice-3.dcm";
  });
  if (cut_failed) CHECK(loaded.volume.is_padding(3 * n));
  const std::string outcome = cut_failed ? "reported as an error" : "decoded";
  MESSAGE("cut JPEG-LS slice " << outcome);
}

TEST_CASE("slice with a wrong rescale dropped") {
  // HU = 10 * slice + pixel index. Slice 3's intercept 0 (not -1024) shifts
  // it by 1024 HU; slice 5's -1000 shifts it by 24 HU only, so it stays.
  auto specs = axial_series(7, 2.0);
  for (std::size_t k = 0; k < specs.size(); ++k)
    for (std::size_t s = 0; s < specs[k].samples.size(); ++s)
      specs[k].samples[s] = static_cast<std::uint32_t>(1024 + 10 * k + s);
  specs[3].rescale_intercept = "0";
  specs[5].rescale_intercept = "-1000";
  const FileSet set = build_files(specs);
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  REQUIRE(loaded.ok);

  const std::int64_t n = 4 * 6;
  for (std::int64_t s = 0; s < n; ++s) {
    CHECK(loaded.volume.is_padding(3 * n + s));
    CHECK(loaded.volume.hu_at(3 * n + s) == kPaddingHu);
    CHECK_FALSE(loaded.volume.is_padding(5 * n + s));
    CHECK(loaded.volume.hu_at(5 * n + s) == 50 + s + 24);
  }
  REQUIRE(count_code(loaded.diagnostics, DiagnosticCode::invalid_rescale) == 1);
  const auto error = std::find_if(loaded.diagnostics.begin(), loaded.diagnostics.end(),
                                  [](const Diagnostic& d) { return d.code == DiagnosticCode::invalid_rescale; });
  CHECK(error->severity == Severity::error);
  CHECK(error->file == set.files()[3].name);
  CHECK(error->message.find("RescaleIntercept 0 differ from the other slices' (1, -1024)") != std::string::npos);
}

TEST_CASE("max_bytes refusal") {
  const FileSet set = build_files(axial_series(4, 2.0));
  LoadOptions options;
  options.max_bytes = 100;
  const LoadResult loaded = load_first(set, options);
  CHECK_FALSE(loaded.ok);
  CHECK(loaded.volume.voxel_count() == 0);
  REQUIRE(count_code(loaded.diagnostics, DiagnosticCode::too_large) == 1);
  const auto refusal = std::find_if(loaded.diagnostics.begin(), loaded.diagnostics.end(),
                                    [](const Diagnostic& d) { return d.code == DiagnosticCode::too_large; });
  CHECK(refusal->message.find("needs 288 bytes") != std::string::npos);  // 6 x 4 x 4 voxels x (2 + 1) bytes

  options.max_bytes = 288;
  CHECK(load_first(set, options).ok);
}

TEST_CASE("progress and cancellation") {
  const FileSet set = build_files(axial_series(6, 2.0));
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::pair<int, int>> calls;
  bool on_caller = true;
  LoadOptions options;
  options.progress = [&](int done, int total) {
    calls.emplace_back(done, total);
    on_caller = on_caller && std::this_thread::get_id() == caller;
    return true;
  };
  REQUIRE(load_first(set, options).ok);
  REQUIRE(calls.size() == 6);
  for (int c = 0; c < 6; ++c) CHECK(calls[c] == std::pair<int, int>{c + 1, 6});
  CHECK(on_caller);

  options.progress = [](int done, int) { return done < 2; };
  const LoadResult cancelled = load_first(set, options);
  CHECK_FALSE(cancelled.ok);
  CHECK(cancelled.volume.voxel_count() == 0);
  CHECK(count_code(cancelled.diagnostics, DiagnosticCode::cancelled) == 1);
}

TEST_CASE("invalid arguments") {
  const FileSet set = build_files(axial_series(2, 2.0));
  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  CHECK(count_code(load_series(scan, 5, files).diagnostics, DiagnosticCode::invalid_argument) == 1);
  CHECK(count_code(load_series(scan, 0, std::span(files).first(1)).diagnostics, DiagnosticCode::invalid_argument) == 1);
}

TEST_CASE("LIDC-IDRI-0001 loads") {
  const auto folder = data_path("ct/LIDC-IDRI-0001");
  if (!folder) return;
  const FileSet set = read_folder(*folder);
  const auto files = set.files();

  const auto start = std::chrono::steady_clock::now();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  MESSAGE("LIDC-IDRI-0001 scan + load: " << seconds_since(start) << " s on " << thread_count() << " threads");

  REQUIRE(loaded.ok);
  const HuVolume& volume = loaded.volume;
  const Geometry& g = volume.geometry;
  CHECK(g.size == std::array<std::int64_t, 3>{512, 512, 133});
  CHECK(std::round(g.spacing_mm[0] * 1000) == 703);
  CHECK(std::round(g.spacing_mm[1] * 1000) == 703);
  CHECK(std::round(g.spacing_mm[2] * 1000) == 2500);
  CHECK(scan.series[0].uniform_step);
  CHECK(scan.series[0].missing_grid_indices.empty());
  CHECK(g.is_orthonormal());

  // The anonymised identity: ID and study date kept, name removed.
  const PatientStudy& patient = scan.series[0].patient_study;
  CHECK(patient.patient_id == "LIDC-IDRI-0001");
  CHECK(patient.patient_name.empty());
  CHECK(patient.study_date == "2000-01-01");
  CHECK(volume.voxel_type == VoxelType::int16);

  // Lung parenchyma in the middle slice, right and left lung (around -850 HU).
  const double right_lung = mean_hu(volume, {100, 175, 66}, {175, 275, 66});
  const double left_lung = mean_hu(volume, {325, 270, 66}, {375, 300, 66});
  CHECK(right_lung > -950.0);
  CHECK(right_lung < -750.0);
  CHECK(left_lung > -950.0);
  CHECK(left_lung < -750.0);

  // PixelPaddingValue 63536 is read as the signed -2000; this series stores
  // -1024 (not -2000) outside the scan circle, so no voxel matches it.
  CHECK(scan.headers[0].pixel_padding_value == -2000);
  CHECK(volume.padding_mask.size() == static_cast<std::size_t>(volume.voxel_count()));
  CHECK(volume.hu_at(0) == -2048.0f);
}

TEST_CASE("JPEG-LS file cut short is named") {
  // Three JPEG-LS slices of LIDC-IDRI-0002; the middle file keeps 60 % of its bytes.
  const auto folder = data_path("ct/LIDC-IDRI-0002");
  if (!folder) return;
  const auto paths = list_files(*folder);
  REQUIRE(paths.size() > 102);
  FileSet set;
  for (std::size_t p = 100; p < 103; ++p) {
    std::vector<std::uint8_t> bytes = read_file(paths[p]);
    if (p == 101) bytes.resize(bytes.size() * 6 / 10);
    set.add(paths[p].filename().string(), std::move(bytes));
  }

  const auto files = set.files();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  REQUIRE(loaded.ok);
  const auto error = std::find_if(loaded.diagnostics.begin(), loaded.diagnostics.end(), [&](const Diagnostic& d) {
    return d.severity == Severity::error && d.file == paths[101].filename().string();
  });
  REQUIRE(error != loaded.diagnostics.end());
  CHECK(error->code == DiagnosticCode::decode_failed);
  CHECK(error->message.find("probably cut short") != std::string::npos);
}

TEST_CASE("LIDC-IDRI-0002 loads") {
  const auto folder = data_path("ct/LIDC-IDRI-0002");
  if (!folder) return;
  const FileSet set = read_folder(*folder);
  const auto files = set.files();

  const auto start = std::chrono::steady_clock::now();
  const ScanResult scan = scan_files(files);
  REQUIRE(scan.series.size() == 1);
  const LoadResult loaded = load_series(scan, 0, files);
  MESSAGE("LIDC-IDRI-0002 scan + load: " << seconds_since(start) << " s on " << thread_count() << " threads");

  REQUIRE(loaded.ok);
  const Geometry& g = loaded.volume.geometry;
  CHECK(g.size == std::array<std::int64_t, 3>{512, 512, 261});
  CHECK(std::round(g.spacing_mm[0] * 1000) == 682);
  CHECK(std::round(g.spacing_mm[2] * 1000) == 1250);
  // Stored -2000 outside the scan circle is padding: -1024 HU, flagged.
  CHECK(loaded.volume.is_padding(0));
  CHECK(loaded.volume.hu_at(0) == kPaddingHu);
  CHECK(flagged_voxels(loaded.volume) > 261 * 50000);
}

}
