#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "phantom/chest_phantom.h"
#include "pipeline/neural_analysis.h"
#include "report/report_fixture.h"
#include "report/report_json.h"
#include "support/json_schema.h"
#include "support/json_value.h"
#include "support/test_data.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

struct TruthMaps {
  std::vector<float> lung;
  std::vector<float> lesion;
};

// Probability maps equal to the phantom truth; the 256 x 256 phantom at
// 1.5 mm maps pixel for pixel onto the model grid.
TruthMaps truth_maps(const Phantom& phantom) {
  TruthMaps maps{std::vector<float>(phantom.labels.size(), 0.0f), std::vector<float>(phantom.labels.size(), 0.0f)};
  for (std::size_t v = 0; v < phantom.labels.size(); ++v) {
    const auto label = static_cast<PhantomLabel>(phantom.labels[v]);
    const bool is_lesion = label == PhantomLabel::ggo_right || label == PhantomLabel::ggo_left ||
                           label == PhantomLabel::consolidation_right || label == PhantomLabel::consolidation_left;
    maps.lung[v] = is_lesion || label == PhantomLabel::right_lung || label == PhantomLabel::left_lung ? 1.0f : 0.0f;
    maps.lesion[v] = is_lesion ? 1.0f : 0.0f;
  }
  return maps;
}

Phantom small_phantom() {
  PhantomOptions options;
  options.z_extent_mm = 60.0;
  return generate_chest_phantom(options);
}

JsonValue parse_report(const ReportText& report) {
  REQUIRE(report.ok);
  return parse_json(report.text);
}

}  // namespace

TEST_SUITE("neural analysis") {

TEST_CASE("neural quantification of phantom truth") {
  const Phantom phantom = small_phantom();
  const TruthMaps maps = truth_maps(phantom);
  const NeuralAnalysis analysis = analyze_neural_output(phantom.volume, maps.lung, maps.lesion);
  REQUIRE(analysis.segmentation.lungs_found);
  REQUIRE(analysis.quantification.ok);
  CHECK(analysis.method.engine == "neural");
  CHECK(analysis.quantification.right.region.lung_volume_ml == doctest::Approx(phantom.truth.right_lung_ml).epsilon(0.001));
  CHECK(analysis.quantification.left.region.lung_volume_ml == doctest::Approx(phantom.truth.left_lung_ml).epsilon(0.001));
}

TEST_CASE("neural quantification without lung") {
  const Phantom phantom = small_phantom();
  const std::vector<float> empty(phantom.labels.size(), 0.0f);
  const NeuralAnalysis analysis = analyze_neural_output(phantom.volume, empty, empty);
  CHECK_FALSE(analysis.segmentation.lungs_found);
  CHECK_FALSE(analysis.quantification.ok);
  REQUIRE_FALSE(analysis.diagnostics.empty());
  CHECK(analysis.diagnostics[0].code == DiagnosticCode::no_lung_found);
}

TEST_CASE("report with neural part") {
  const Phantom phantom = small_phantom();
  const TruthMaps maps = truth_maps(phantom);
  const NeuralAnalysis analysis = analyze_neural_output(phantom.volume, maps.lung, maps.lesion);
  const ReportInput input = box_report_input();
  const ReportPair reports = write_reports_with_neural(input, analysis);

  const JsonValue classical = parse_report(write_report_json(input));
  const JsonValue combined = parse_report(reports.json);
  const std::vector<std::uint8_t> schema_bytes = read_file(report_schema_path());
  const JsonValue schema = parse_json(std::string(schema_bytes.begin(), schema_bytes.end()));
  const std::vector<std::string> errors = validate_json_schema(schema, combined);
  for (const std::string& message : errors) MESSAGE(message);
  CHECK(errors.empty());

  // The classical numbers stay as they were; the neural ones sit under "neural".
  CHECK(combined.at("method").at("segmentation").at("engine").string == "classical");
  CHECK(combined.at("results").at("right_lung").at("volume").at("value").number ==
        classical.at("results").at("right_lung").at("volume").at("value").number);
  const JsonValue& neural = combined.at("neural");
  CHECK(neural.at("engine").string == "neural");
  CHECK(neural.at("status").string == "complete");
  CHECK(neural.at("method").at("segmentation").at("engine").string == "neural");
  CHECK(neural.at("results").at("right_lung").at("volume").at("value").number ==
        doctest::Approx(phantom.truth.right_lung_ml).epsilon(0.001));

  REQUIRE(reports.html.ok);
  CHECK(reports.html.text.find("<h2>Neural engine</h2>") != std::string::npos);
}

TEST_CASE("failed neural part validates") {
  const Phantom phantom = small_phantom();
  const std::vector<float> empty(phantom.labels.size(), 0.0f);
  const NeuralAnalysis analysis = analyze_neural_output(phantom.volume, empty, empty);
  const JsonValue combined = parse_report(write_reports_with_neural(box_report_input(), analysis).json);
  const std::vector<std::uint8_t> schema_bytes = read_file(report_schema_path());
  const JsonValue schema = parse_json(std::string(schema_bytes.begin(), schema_bytes.end()));
  CHECK(validate_json_schema(schema, combined).empty());
  CHECK(combined.at("neural").at("status").string == "failed");
  CHECK(combined.at("neural").at("results").type == JsonValue::Type::null);
}

}  // TEST_SUITE
