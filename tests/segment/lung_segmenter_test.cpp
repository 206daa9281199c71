#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "dicom/series_loader.h"
#include "dicom/series_scan.h"
#include "phantom/chest_phantom.h"
#include "segment/lung_segmenter.h"
#include "support/test_data.h"

using namespace lunglens;

namespace {

struct Measured {
  double right_ml = 0.0;
  double left_ml = 0.0;
  double airway_ml = 0.0;
  double ggo_ml = 0.0;
  double consolidation_ml = 0.0;

  double lesion_share() const { return (ggo_ml + consolidation_ml) / std::max(1e-9, right_ml + left_ml); }
};

Measured measure(const LungSegmentation& segmentation) {
  const double voxel_ml = segmentation.geometry.voxel_volume_mm3() / 1000.0;
  Measured measured;
  for (std::size_t v = 0; v < segmentation.lungs.size(); ++v) {
    const auto lung = static_cast<LungLabel>(segmentation.lungs[v]);
    if (lung == LungLabel::right_lung) measured.right_ml += voxel_ml;
    if (lung == LungLabel::left_lung) measured.left_ml += voxel_ml;
    if (lung == LungLabel::airway) measured.airway_ml += voxel_ml;
    const auto lesion = static_cast<LesionLabel>(segmentation.lesions[v]);
    if (lesion == LesionLabel::ground_glass) measured.ggo_ml += voxel_ml;
    if (lesion == LesionLabel::consolidation) measured.consolidation_ml += voxel_ml;
  }
  return measured;
}

PhantomOptions phantom_options() {
  PhantomOptions options;
  options.matrix = 256;
  options.pixel_spacing_mm = 1.5;
  options.slice_thickness_mm = 2.5;
  return options;
}

bool has_code(const LungSegmentation& segmentation, DiagnosticCode code) {
  return std::any_of(segmentation.diagnostics.begin(), segmentation.diagnostics.end(),
                     [code](const Diagnostic& d) { return d.code == code; });
}

// Share of truth voxels of `truth_label` that the segmentation gives `label`.
double truth_share_in(const Phantom& phantom, const LungSegmentation& segmentation, PhantomLabel truth_label,
                      LungLabel label) {
  std::int64_t total = 0, inside = 0;
  for (std::size_t v = 0; v < phantom.labels.size(); ++v) {
    if (phantom.labels[v] != static_cast<std::uint8_t>(truth_label)) continue;
    ++total;
    inside += segmentation.lungs[v] == static_cast<std::uint8_t>(label);
  }
  return total ? double(inside) / double(total) : 0.0;
}

// Loads the largest series of the DICOM files under `folder` (one file when
// `folder` is a file), leaving out the files named in `left_out`.
HuVolume load_dicom(const std::filesystem::path& path, const std::vector<std::string>& left_out = {}) {
  std::vector<std::filesystem::path> paths;
  if (std::filesystem::is_directory(path)) paths = test::list_files(path);
  else paths.push_back(path);
  std::erase_if(paths, [&](const std::filesystem::path& file) {
    return std::find(left_out.begin(), left_out.end(), file.filename().string()) != left_out.end();
  });
  std::vector<std::vector<std::uint8_t>> bytes;
  std::vector<InputFile> files;
  for (const auto& file : paths) bytes.push_back(test::read_file(file));
  for (std::size_t f = 0; f < paths.size(); ++f) files.push_back({paths[f].string(), bytes[f]});
  const ScanResult scan = scan_files(files);
  REQUIRE(!scan.series.empty());
  LoadResult load = load_series(scan, 0, files);
  REQUIRE(load.ok);
  return std::move(load.volume);
}

}  // namespace

TEST_SUITE("segment") {

TEST_CASE("phantom lung volumes") {
  const Phantom phantom = generate_chest_phantom(phantom_options());
  const LungSegmentation segmentation = segment_lungs(phantom.volume);
  REQUIRE(segmentation.lungs_found);
  const Measured measured = measure(segmentation);
  CHECK(measured.right_ml == doctest::Approx(phantom.truth.right_lung_ml).epsilon(0.02));
  CHECK(measured.left_ml == doctest::Approx(phantom.truth.left_lung_ml).epsilon(0.02));
}

TEST_CASE("phantom lesion volumes") {
  const Phantom phantom = generate_chest_phantom(phantom_options());
  const Measured measured = measure(segment_lungs(phantom.volume));
  const PhantomTruth& truth = phantom.truth;
  CHECK(measured.ggo_ml == doctest::Approx(truth.ggo_right_ml + truth.ggo_left_ml).epsilon(0.10));
  CHECK(measured.consolidation_ml ==
        doctest::Approx(truth.consolidation_right_ml + truth.consolidation_left_ml).epsilon(0.10));
}

TEST_CASE("phantom airway excluded") {
  const Phantom phantom = generate_chest_phantom(phantom_options());
  const LungSegmentation segmentation = segment_lungs(phantom.volume);
  CHECK(truth_share_in(phantom, segmentation, PhantomLabel::airway, LungLabel::right_lung) == 0.0);
  CHECK(truth_share_in(phantom, segmentation, PhantomLabel::airway, LungLabel::left_lung) == 0.0);
  CHECK(truth_share_in(phantom, segmentation, PhantomLabel::airway, LungLabel::airway) > 0.9);
}

TEST_CASE("phantom dependent consolidation in lung") {
  // The right lower-lobe consolidation lies on the posterior pleura.
  const Phantom phantom = generate_chest_phantom(phantom_options());
  const LungSegmentation segmentation = segment_lungs(phantom.volume);
  CHECK(truth_share_in(phantom, segmentation, PhantomLabel::consolidation_right, LungLabel::right_lung) > 0.95);
}

TEST_CASE("phantom patient positions agree") {
  std::map<PatientPosition, Measured> results;
  for (const PatientPosition position : {PatientPosition::hfs, PatientPosition::ffs, PatientPosition::hfp}) {
    CAPTURE(patient_position_code(position));
    PhantomOptions options = phantom_options();
    options.position = position;
    const Phantom phantom = generate_chest_phantom(options);
    const LungSegmentation segmentation = segment_lungs(phantom.volume);
    REQUIRE(segmentation.lungs_found);

    // Left and right are never swapped.
    CHECK(truth_share_in(phantom, segmentation, PhantomLabel::right_lung, LungLabel::right_lung) > 0.97);
    CHECK(truth_share_in(phantom, segmentation, PhantomLabel::left_lung, LungLabel::left_lung) > 0.97);
    results[position] = measure(segmentation);
  }
  const Measured& hfs = results[PatientPosition::hfs];
  for (const PatientPosition position : {PatientPosition::ffs, PatientPosition::hfp}) {
    CAPTURE(patient_position_code(position));
    const Measured& other = results[position];
    CHECK(other.right_ml == doctest::Approx(hfs.right_ml).epsilon(0.01));
    CHECK(other.left_ml == doctest::Approx(hfs.left_ml).epsilon(0.01));
    CHECK(other.ggo_ml == doctest::Approx(hfs.ggo_ml).epsilon(0.01));
    CHECK(other.consolidation_ml == doctest::Approx(hfs.consolidation_ml).epsilon(0.01));
  }
}

// Measures the phantom segmented on a 1 x 1 x 1 mm grid (first) and on a
// 0.7 x 0.7 x 5 mm grid (second). Computed once and shared by the test cases
// below, because each segmentation of the fine grid takes seconds.
const std::pair<Measured, Measured>& measured_at_two_voxel_sizes() {
  static const std::pair<Measured, Measured> measured = [] {
    PhantomOptions isotropic = phantom_options();
    isotropic.matrix = 384;
    isotropic.pixel_spacing_mm = 1.0;
    isotropic.slice_thickness_mm = 1.0;
    PhantomOptions thick = phantom_options();
    thick.matrix = 548;
    thick.pixel_spacing_mm = 0.7;
    thick.slice_thickness_mm = 5.0;
    return std::pair{measure(segment_lungs(generate_chest_phantom(isotropic).volume)),
                     measure(segment_lungs(generate_chest_phantom(thick).volume))};
  }();
  return measured;
}

TEST_CASE("phantom voxel sizes agree") {
  const auto& [fine, coarse] = measured_at_two_voxel_sizes();
  CHECK(coarse.right_ml == doctest::Approx(fine.right_ml).epsilon(0.01));
  CHECK(coarse.left_ml == doctest::Approx(fine.left_ml).epsilon(0.01));
  CHECK(coarse.ggo_ml == doctest::Approx(fine.ggo_ml).epsilon(0.01));
}

TEST_CASE("phantom consolidation across voxel sizes") {
  const auto& [fine, coarse] = measured_at_two_voxel_sizes();
  CHECK(coarse.consolidation_ml == doctest::Approx(fine.consolidation_ml).epsilon(0.01));
}

TEST_CASE("phantom offset by 1024 rejected") {
  Phantom phantom = generate_chest_phantom(phantom_options());
  for (std::int16_t& value : phantom.volume.int16_hu) value = static_cast<std::int16_t>(value + 1024);
  const LungSegmentation segmentation = segment_lungs(phantom.volume);
  CHECK_FALSE(segmentation.lungs_found);
  CHECK(has_code(segmentation, DiagnosticCode::suspicious_hu_range));
  CHECK(std::count(segmentation.lungs.begin(), segmentation.lungs.end(), 0) == phantom.volume.voxel_count());
}

TEST_CASE("phantom without lesions") {
  PhantomOptions options = phantom_options();
  options.lesion_load = 0.0;
  const Measured measured = measure(segment_lungs(generate_chest_phantom(options).volume));
  CHECK(measured.lesion_share() < 0.01);
}

TEST_CASE("segmenter rejects mismatched buffers") {
  HuVolume volume;
  volume.geometry.size = {4, 4, 4};
  volume.int16_hu.assign(10, 0);
  const LungSegmentation segmentation = segment_lungs(volume);
  CHECK_FALSE(segmentation.lungs_found);
  CHECK(has_code(segmentation, DiagnosticCode::invalid_argument));
}

TEST_CASE("segmenter finds no lung in soft tissue") {
  // A water cylinder in air: HU data, but no lung.
  HuVolume volume;
  volume.geometry.size = {64, 64, 4};
  volume.geometry.spacing_mm = {3.0, 3.0, 5.0};
  for (std::int64_t k = 0; k < 4; ++k)
    for (std::int64_t j = 0; j < 64; ++j)
      for (std::int64_t i = 0; i < 64; ++i)
        volume.int16_hu.push_back((i - 32) * (i - 32) + (j - 32) * (j - 32) < 400 ? 20 : -1000);
  const LungSegmentation segmentation = segment_lungs(volume);
  CHECK_FALSE(segmentation.lungs_found);
  REQUIRE(has_code(segmentation, DiagnosticCode::no_lung_found));
  CHECK(segmentation.diagnostics.front().message.find("no lung found") != std::string::npos);
}

// A 128 x 128 x 4 voxel body (40 HU, 2.5 mm voxels, air outside) holding
// lung discs of -850 HU, each {x, y, radius} in voxels from the image centre
// (x towards the patient's left, y towards posterior).
HuVolume body_with_discs(std::initializer_list<std::array<double, 3>> discs) {
  HuVolume volume;
  volume.geometry.size = {128, 128, 4};
  volume.geometry.spacing_mm = {2.5, 2.5, 2.5};
  for (std::int64_t k = 0; k < 4; ++k)
    for (std::int64_t j = 0; j < 128; ++j)
      for (std::int64_t i = 0; i < 128; ++i) {
        const double x = double(i - 64), y = double(j - 64);
        const bool body = (x / 56.0) * (x / 56.0) + (y / 40.0) * (y / 40.0) < 1.0;
        bool lung = false;
        for (const auto& [cx, cy, r] : discs) lung = lung || (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
        std::int16_t hu = 40;  // Soft tissue.
        if (!body) hu = -1000;
        else if (lung) hu = -850;
        volume.int16_hu.push_back(hu);
      }
  return volume;
}

// Dense disease can leave one lung as two air pieces. Both lie on the
// patient's right of the body midline (i grows towards the patient's left),
// so both are right lung and no left lung is invented.
TEST_CASE("two pieces of one lung stay one side") {
  const HuVolume volume = body_with_discs({{-30.0, -12.0, 10.0}, {-30.0, 12.0, 8.0}});

  const LungSegmentation segmentation = segment_lungs(volume);
  REQUIRE(segmentation.lungs_found);
  const Measured measured = measure(segmentation);
  const double pieces_ml = std::acos(-1.0) * (100.0 + 64.0) * 4 * 2.5 * 2.5 * 2.5 / 1000.0;  // 32.2 mL
  CHECK(measured.right_ml == doctest::Approx(pieces_ml).epsilon(0.1));
  CHECK(measured.left_ml == 0.0);
  CHECK(has_code(segmentation, DiagnosticCode::single_lung));
}

// Lung bases behind the liver and spleen can be very unequal; each piece
// still keeps its own side of the body midline.
TEST_CASE("unequal pieces keep their sides") {
  // Patient right at lower i; the left disc has 11 times the area.
  const HuVolume volume = body_with_discs({{-30.0, 0.0, 5.5}, {30.0, 0.0, 18.0}});

  const LungSegmentation segmentation = segment_lungs(volume);
  REQUIRE(segmentation.lungs_found);
  const Measured measured = measure(segmentation);
  const double voxel_ml = 2.5 * 2.5 * 2.5 / 1000.0;
  CHECK(measured.right_ml == doctest::Approx(std::acos(-1.0) * 30.25 * 4 * voxel_ml).epsilon(0.15));
  CHECK(measured.left_ml == doctest::Approx(std::acos(-1.0) * 324.0 * 4 * voxel_ml).epsilon(0.1));
  CHECK_FALSE(has_code(segmentation, DiagnosticCode::single_lung));
}

TEST_CASE("coronal and sagittal images refused") {
  for (const auto& [size, kind] : {std::pair{std::array<std::int64_t, 3>{128, 1, 128}, "coronal"},
                                   std::pair{std::array<std::int64_t, 3>{1, 128, 128}, "sagittal"}}) {
    CAPTURE(kind);
    HuVolume volume;
    volume.geometry.size = size;
    volume.geometry.spacing_mm = {2.5, 2.5, 2.5};
    volume.int16_hu.assign(128 * 128, -850);
    const LungSegmentation segmentation = segment_lungs(volume);
    CHECK_FALSE(segmentation.lungs_found);
    REQUIRE(has_code(segmentation, DiagnosticCode::not_axial));
    CHECK(segmentation.diagnostics.front().message.find(std::string("the images are ") + kind) != std::string::npos);
  }
}

TEST_CASE("LIDC lungs") {
  for (const std::string name : {"ct/LIDC-IDRI-0001", "ct/LIDC-IDRI-0002"}) {
    CAPTURE(name);
    const auto folder = test::data_path(name);
    if (!folder) continue;
    const LungSegmentation segmentation = segment_lungs(load_dicom(*folder));
    REQUIRE(segmentation.lungs_found);
    const Measured measured = measure(segmentation);
    MESSAGE(name << ": right " << measured.right_ml << " mL, left " << measured.left_ml << " mL, airway "
                 << measured.airway_ml << " mL, lesion share " << 100.0 * measured.lesion_share() << " %");
    CHECK(measured.right_ml > 1500.0);
    CHECK(measured.right_ml < 4500.0);
    CHECK(measured.left_ml > 1500.0);
    CHECK(measured.left_ml < 4500.0);
    CHECK(measured.right_ml > measured.left_ml);
    CHECK(measured.airway_ml > 5.0);  // Labelled as airway, so not in a lung.
    CHECK(measured.lesion_share() < 0.05);
  }
}

// A file missing from the middle of the series leaves a slice of padding.
// Not bridged, it cuts both lungs in two and the right/left split fails (one
// lung of 3721 mL). Bridged, it counts no lung.
TEST_CASE("LIDC lungs across a missing slice") {
  const auto folder = test::data_path("ct/LIDC-IDRI-0001");
  if (!folder) return;
  const Measured whole = measure(segment_lungs(load_dicom(*folder)));

  const HuVolume volume = load_dicom(*folder, {"000061.dcm"});
  const LungSegmentation segmentation = segment_lungs(volume);
  REQUIRE(segmentation.lungs_found);
  CHECK_FALSE(has_code(segmentation, DiagnosticCode::single_lung));
  CHECK(has_code(segmentation, DiagnosticCode::missing_slice));
  const Measured measured = measure(segmentation);
  MESSAGE("without 000061.dcm: right " << measured.right_ml << " mL, left " << measured.left_ml << " mL");

  // One 2.5 mm slice of about 130 lost: each lung within 3 % below the whole series.
  CHECK(measured.right_ml < whole.right_ml);
  CHECK(measured.right_ml > 0.97 * whole.right_ml);
  CHECK(measured.left_ml < whole.left_ml);
  CHECK(measured.left_ml > 0.97 * whole.left_ml);

  // No lung is counted in the slice without data.
  const auto& n = volume.geometry.size;
  const std::int64_t slice_voxels = n[0] * n[1];
  std::int64_t gap_slices = 0;
  for (std::int64_t k = 0; k < n[2]; ++k) {
    const auto first = volume.padding_mask.begin() + k * slice_voxels;
    if (!std::all_of(first, first + slice_voxels, [](std::uint8_t p) { return p != 0; })) continue;
    ++gap_slices;
    const auto labels = segmentation.lungs.begin() + k * slice_voxels;
    CHECK(std::count(labels, labels + slice_voxels, std::uint8_t{0}) == slice_voxels);
  }
  CHECK(gap_slices == 1);
}

// Lesion share of each axial COVID slice with lungs, by patient; checks on
// the way that the abdominal slices give "no lung found".
std::vector<std::pair<std::string, double>> covid_axial_shares(const std::filesystem::path& folder) {
  // These patients' axial images lie below the lungs (upper abdomen).
  const std::vector<std::string> abdominal{"A027284", "A058062", "A062055"};
  std::vector<std::pair<std::string, double>> shares;
  for (const auto& path : test::list_files(folder)) {
    if (path.parent_path().filename() != "axial") continue;
    const std::string patient = path.parent_path().parent_path().filename().string();
    CAPTURE(path.string());
    const LungSegmentation segmentation = segment_lungs(load_dicom(path));

    if (std::find(abdominal.begin(), abdominal.end(), patient) != abdominal.end()) {
      CHECK_FALSE(segmentation.lungs_found);
      CHECK(has_code(segmentation, DiagnosticCode::no_lung_found));
      continue;
    }
    REQUIRE(segmentation.lungs_found);
    const double share = measure(segmentation).lesion_share();
    MESSAGE(path.filename().string() << " (" << patient << "): lesion share " << 100.0 * share << " %");
    shares.emplace_back(patient, share);
  }
  return shares;
}

// Lowest lesion share of A046441's axial images and highest of every other
// patient's, in that order.
std::pair<double, double> a046441_against_others(const std::filesystem::path& folder) {
  double lowest_a046441 = 1.0;
  double highest_other = 0.0;
  for (const auto& [patient, share] : covid_axial_shares(folder)) {
    if (patient == "A046441") lowest_a046441 = std::min(lowest_a046441, share);
    else highest_other = std::max(highest_other, share);
  }
  return {lowest_a046441, highest_other};
}

TEST_CASE("COVID slices involvement") {
  const auto folder = test::data_path("covid-slices");
  if (!folder) return;

  const auto [lowest_a046441, highest_other] = a046441_against_others(*folder);
  CHECK(lowest_a046441 > highest_other);
}

TEST_CASE("COVID A046441 leads by 5 points") {
  const auto folder = test::data_path("covid-slices");
  if (!folder) return;

  const auto [lowest_a046441, highest_other] = a046441_against_others(*folder);
  CHECK(lowest_a046441 > highest_other + 0.05);
}

}  // TEST_SUITE
