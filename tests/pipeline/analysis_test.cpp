#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "dicom/dicom_test_files.h"
#include "dicom/series_writer.h"
#include "support/test_data.h"
#include "phantom/chest_phantom.h"
#include "pipeline/analysis.h"
#include "pipeline/neural_analysis.h"

using namespace lunglens;

namespace {

// A coarse phantom written as a DICOM series, with its truth.
struct PhantomSeries {
  Phantom phantom;
  std::vector<WrittenFile> written;

  std::vector<InputFile> files() const {
    std::vector<InputFile> files;
    for (const auto& file : written) files.push_back({file.name, file.bytes});
    return files;
  }
};

PhantomSeries make_phantom_series(const SeriesWriterOptions& writer_options = {}) {
  PhantomOptions options;
  options.matrix = 192;
  options.pixel_spacing_mm = 2.0;
  options.slice_thickness_mm = 5.0;
  PhantomSeries series{generate_chest_phantom(options), {}};
  series.written = write_ct_series(series.phantom.volume, writer_options);
  return series;
}

bool has_code(const Diagnostics& diagnostics, DiagnosticCode code) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) { return d.code == code; });
}

}  // namespace

TEST_SUITE("pipeline") {

TEST_CASE("phantom series analysed end to end") {
  const PhantomSeries series = make_phantom_series();
  std::set<AnalysisStage> stages;
  AnalysisOptions options;
  options.generated_at = "2026-01-01T00:00:00Z";
  options.progress = [&](AnalysisStage stage, int, int) {
    stages.insert(stage);
    return true;
  };

  const AnalysisResult result = analyze_files(series.files(), options);
  REQUIRE(result.ok);
  CHECK(stages.size() == 5);
  const PhantomTruth& truth = series.phantom.truth;
  CHECK(result.quantification.right.region.lung_volume_ml == doctest::Approx(truth.right_lung_ml).epsilon(0.03));
  CHECK(result.quantification.left.region.lung_volume_ml == doctest::Approx(truth.left_lung_ml).epsilon(0.03));
  CHECK(result.report_json.find("\"status\": \"complete\"") != std::string::npos);
  CHECK(result.report_json.find("2026-01-01T00:00:00Z") != std::string::npos);
  CHECK(result.report_html.find("<html") != std::string::npos);
  CHECK(result.volume.voxel_count() == series.phantom.volume.voxel_count());
}

// LIDC-IDRI-0001 and -0002 show no pneumonia: partial volume at the lung
// surface, streak artefacts and nodules stay under the score floor.
TEST_CASE("normal LIDC lungs score 0") {
  for (const std::string name : {"ct/LIDC-IDRI-0001", "ct/LIDC-IDRI-0002"}) {
    CAPTURE(name);
    const auto folder = test::data_path(name);
    if (!folder) continue;
    std::vector<std::vector<std::uint8_t>> contents;
    std::vector<InputFile> files;
    for (const auto& path : test::list_files(*folder)) contents.push_back(test::read_file(path));
    for (const auto& bytes : contents) files.push_back({"slice", bytes});

    const AnalysisResult result = analyze_files(files);
    REQUIRE(result.ok);
    const double involvement = result.quantification.both.region.involvement.percent_of_lung.value_or(100.0);
    MESSAGE(name << ": involvement " << involvement << " %, score " << result.quantification.both.severity_score);
    CHECK(involvement < 0.5);
    CHECK(result.quantification.both.severity_score == 0);
  }
}

// A single slice has lung in one zone of each lung at most: the other
// zones get no score instead of 0, and the report states how many zones the
// severity score sums.
TEST_CASE("zones without lung unscored") {
  const auto path = test::data_path("covid-slices/A046441/axial/19001111-045.dcm");
  if (!path) return;
  const std::vector<std::uint8_t> bytes = test::read_file(*path);
  const std::vector<InputFile> files{{"19001111-045.dcm", bytes}};
  const AnalysisResult result = analyze_files(files);
  REQUIRE(result.ok);

  const BothLungsMeasures& both = result.quantification.both;
  CHECK(both.scored_zones >= 1);
  CHECK(both.scored_zones <= 2);
  int sum = 0, unscored = 0;
  for (const LungMeasures* lung : {&result.quantification.right, &result.quantification.left})
    for (const ZoneMeasures& zone : lung->zones) {
      if (zone.score) sum += *zone.score;
      else ++unscored;
      CHECK(zone.score.has_value() == (zone.region.lung_voxel_count > 0));
    }
  CHECK(unscored == 6 - both.scored_zones);
  CHECK(both.severity_score == sum);
  CHECK(result.report_json.find("\"score\": {\"value\": null, \"unit\": \"{score}\"}") != std::string::npos);
  CHECK(result.report_html.find("n/a (no lung)") != std::string::npos);
  bool warned = false;
  for (const Diagnostic& diagnostic : result.quantification.diagnostics)
    warned = warned || (diagnostic.code == DiagnosticCode::limited_coverage &&
                        diagnostic.message.find("zones contain no lung voxel") != std::string::npos);
  CHECK(warned);
}

// The report lists every parameter with its meaning, so that a reader need
// not know the code names.
TEST_CASE("method parameters described") {
  std::set<std::string> names;
  for (const SegmentationMethod& method : {classical_method(SegmentOptions{}), neural_method(NeuralOutputOptions{})})
    for (const MethodParameter& parameter : method.parameters) {
      CAPTURE(parameter.name);
      CHECK(parameter.description.size() > 20);
      names.insert(method.engine + "." + parameter.name);
    }
  CHECK(names.size() == 42);  // 26 classical and 16 neural, none twice.

  PhantomSeries series = make_phantom_series();
  const AnalysisResult result = analyze_files(series.files());
  REQUIRE(result.ok);
  CHECK(result.report_html.find("<td>tissue above this value forms the body outline</td>") != std::string::npos);
  CHECK(result.report_json.find("\"description\": \"tissue above this value forms the body outline\"") !=
        std::string::npos);
}

TEST_CASE("non-CT series refused") {
  PhantomSeries series = make_phantom_series();
  // Rewrite the Modality value "CT" as "MR" in every file: the element is
  // (0008,0060) CS with length 2, so the bytes after its header are the value.
  const std::vector<std::uint8_t> tag{0x08, 0x00, 0x60, 0x00, 'C', 'S', 0x02, 0x00, 'C', 'T'};
  for (auto& file : series.written) {
    auto at = std::search(file.bytes.begin(), file.bytes.end(), tag.begin(), tag.end());
    REQUIRE(at != file.bytes.end());
    *(at + 8) = 'M';
    *(at + 9) = 'R';
  }

  const AnalysisResult result = analyze_files(series.files());
  CHECK_FALSE(result.ok);
  CHECK(has_code(result.diagnostics, DiagnosticCode::not_ct_modality));
  CHECK(result.report_json.empty());
}

TEST_CASE("irregular slice steps refused") {
  // Steps of 2.0 and 2.7 mm that fit no common grid: stacked, the volumes would be wrong.
  auto specs = test::axial_series(5, 2.0, 64, 64);
  specs[3].position_mm[2] += 0.7;
  specs[4].position_mm[2] += 0.7;
  const test::FileSet set = test::build_files(specs);

  const AnalysisResult result = analyze_files(set.files());
  CHECK_FALSE(result.ok);
  CHECK(result.report_json.empty());
  CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [](const Diagnostic& d) {
    return d.code == DiagnosticCode::nonuniform_slice_step && d.severity == Severity::error;
  }));
}

// Returns the series_chosen diagnostic of analysing `specs`' files (severity info when absent).
Diagnostic series_chosen_of(const std::vector<test::SliceSpec>& specs) {
  const test::FileSet set = test::build_files(specs);
  const AnalysisResult result = analyze_files(set.files());
  for (const Diagnostic& d : result.load_diagnostics)
    if (d.code == DiagnosticCode::series_chosen) return d;
  return {};
}

TEST_CASE("split series and several studies warn") {
  // Slices 3-5 have another pixel spacing, so the series splits into two parts.
  auto split = test::axial_series(6, 2.0, 64, 64);
  for (std::size_t k = 3; k < 6; ++k) split[k].pixel_spacing = "0.8\\0.8";
  const Diagnostic part = series_chosen_of(split);
  CHECK(part.severity == Severity::warning);
  CHECK(part.message.find("the chosen series was split into 2 parts") != std::string::npos);

  // Two series of two studies.
  auto studies = test::axial_series(6, 2.0, 64, 64);
  for (std::size_t k = 3; k < 6; ++k) {
    studies[k].study_uid = "1.2.826.0.1.3680043.10.1234.7";
    studies[k].series_uid = "1.2.826.0.1.3680043.10.1234.8";
  }
  const Diagnostic two = series_chosen_of(studies);
  CHECK(two.severity == Severity::warning);
  CHECK(two.message.find("the input holds 2 studies") != std::string::npos);

  // Two series of one study: an info.
  for (std::size_t k = 3; k < 6; ++k) studies[k].study_uid = studies[0].study_uid;
  const Diagnostic same_study = series_chosen_of(studies);
  CHECK(same_study.code == DiagnosticCode::series_chosen);
  CHECK(same_study.severity == Severity::info);
}

TEST_CASE("no files gives no_series") {
  const AnalysisResult result = analyze_files({});
  CHECK_FALSE(result.ok);
  CHECK(has_code(result.diagnostics, DiagnosticCode::no_series));
}

TEST_CASE("cancel during decoding") {
  const PhantomSeries series = make_phantom_series();
  AnalysisOptions options;
  options.progress = [](AnalysisStage stage, int done, int) { return !(stage == AnalysisStage::decoding && done >= 3); };
  const AnalysisResult result = analyze_files(series.files(), options);
  CHECK_FALSE(result.ok);
  CHECK(has_code(result.diagnostics, DiagnosticCode::cancelled));
}

TEST_CASE("cancel during segmenting stops early") {
  const PhantomSeries series = make_phantom_series();
  AnalysisOptions options;
  int last_step = -1;
  options.progress = [&](AnalysisStage stage, int done, int) {
    if (stage != AnalysisStage::segmenting) return true;
    last_step = done;
    return done < 2;
  };
  const AnalysisResult result = analyze_files(series.files(), options);
  CHECK_FALSE(result.ok);
  CHECK(has_code(result.diagnostics, DiagnosticCode::cancelled));
  CHECK(last_step == 2);
  CHECK(result.timings.back().stage == AnalysisStage::segmenting);
}

TEST_CASE("chest series tie broken by order-free rules") {
  ScanResult scan;
  scan.series.resize(3);
  for (SeriesInfo& series : scan.series) {
    series.modality = "CT";
    series.slices.resize(1);
    series.geometry.size = {512, 512, 1};
  }
  scan.series[0].series_instance_uid = "1.2.3.9";
  scan.series[0].description = "Body 1.0 CE";
  scan.series[1].series_instance_uid = "1.2.3.5";
  scan.series[1].description = "ABD 2.5MM";
  scan.series[2].series_instance_uid = "1.2.3.7";
  scan.series[2].description = "CHEST 2.5 MM";
  CHECK(choose_chest_series(scan) == std::optional<std::size_t>{2});

  scan.series[2].description = "ABD 5MM";
  CHECK(choose_chest_series(scan) == std::optional<std::size_t>{1});
  std::swap(scan.series[0], scan.series[1]);
  CHECK(choose_chest_series(scan) == std::optional<std::size_t>{0});
}

TEST_CASE("chest series chosen among several") {
  SeriesWriterOptions small_options;
  small_options.series_instance_uid = "1.2.826.0.1.3680043.10.1234.77";
  PhantomSeries chest = make_phantom_series();
  std::vector<InputFile> files = chest.files();

  // A three-slice CT series beside it must not be chosen.
  HuVolume small = chest.phantom.volume;
  small.geometry.size[2] = 3;
  const auto slice_voxels = small.geometry.size[0] * small.geometry.size[1];
  small.int16_hu.resize(static_cast<std::size_t>(3 * slice_voxels));
  small.padding_mask.resize(static_cast<std::size_t>(3 * slice_voxels));
  const auto small_written = write_ct_series(small, small_options);
  for (const auto& file : small_written) files.push_back({"small-" + file.name, file.bytes});

  AnalysisOptions options;
  options.series_index.reset();
  AnalysisResult scanned = analyze_files(files, options);
  REQUIRE(scanned.scan.series.size() == 2);
  CHECK(scanned.scan.series[scanned.series_index].slices.size() == chest.written.size());
  CHECK(has_code(scanned.diagnostics, DiagnosticCode::series_chosen));
}

}

TEST_SUITE("pipeline") {

TEST_CASE("thin slab warns about zone scores") {
  PhantomOptions options;
  options.matrix = 192;
  options.pixel_spacing_mm = 2.0;
  options.slice_thickness_mm = 5.0;
  options.z_extent_mm = 60.0;
  const Phantom phantom = generate_chest_phantom(options);
  const auto written = write_ct_series(phantom.volume);
  std::vector<InputFile> files;
  for (const auto& file : written) files.push_back({file.name, file.bytes});

  const AnalysisResult result = analyze_files(files);
  REQUIRE(result.segmentation.lungs_found);
  CHECK(has_code(result.diagnostics, DiagnosticCode::limited_coverage));
  CHECK(result.report_json.find("limited_coverage") != std::string::npos);
}

TEST_CASE("whole phantom has no coverage warning") {
  const PhantomSeries series = make_phantom_series();
  const AnalysisResult result = analyze_files(series.files());
  REQUIRE(result.ok);
  CHECK_FALSE(has_code(result.diagnostics, DiagnosticCode::limited_coverage));
  CHECK_FALSE(has_code(result.diagnostics, DiagnosticCode::series_chosen));
}

}
