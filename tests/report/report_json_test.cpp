#include <doctest/doctest.h>

#include <string>

#include "report/report_fixture.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "support/json_schema.h"
#include "support/json_value.h"
#include "support/test_data.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

JsonValue load_schema() {
  const std::vector<std::uint8_t> bytes = read_file(report_schema_path());
  return parse_json(std::string(bytes.begin(), bytes.end()));
}

JsonValue box_report() {
  const ReportText report = write_report_json(box_report_input());
  REQUIRE(report.ok);
  return parse_json(report.text);
}

double value_of(const JsonValue& quantity) { return quantity.at("value").number; }

}  // namespace

TEST_SUITE("report") {

TEST_CASE("report json validates") {
  const JsonValue schema = load_schema();
  const JsonValue report = box_report();
  const std::vector<std::string> errors = validate_json_schema(schema, report);
  for (const std::string& message : errors) MESSAGE(message);
  CHECK(errors.empty());
}

TEST_CASE("report json unscored zone is null") {
  const ReportText text = write_report_json(box_report_input_with_unscored_zone());
  REQUIRE(text.ok);
  const JsonValue report = parse_json(text.text);
  CHECK(validate_json_schema(load_schema(), report).empty());
  const JsonValue& left = report.at("results").at("left_lung");
  CHECK(left.at("zones").array[0].at("score").at("value").type == JsonValue::Type::null);
  CHECK(value_of(left.at("zones").array[1].at("score")) == 0);
  CHECK(value_of(report.at("results").at("both_lungs").at("scored_zones")) == 5);
}

TEST_CASE("report json numbers") {
  const JsonValue report = box_report();
  CHECK(report.at("schema_version").string == "1.1.0");
  CHECK(report.at("generator").at("version").string == LUNGLENS_VERSION);
  CHECK(report.at("status").string == "complete");
  CHECK(report.at("input").at("series_number").number == 3);
  CHECK(report.at("input").at("patient").at("name").string == "DOE, JANE");
  CHECK(report.at("input").at("patient").at("id").string == "PID-0042");
  CHECK(report.at("input").at("patient").at("birth_date").string.empty());
  CHECK(report.at("input").at("study").at("date").string == "2020-04-01");

  const JsonValue& results = report.at("results");
  const JsonValue& right = results.at("right_lung");
  CHECK(value_of(right.at("volume")) == 4.5);
  CHECK(right.at("volume").at("unit").string == "mL");
  CHECK(value_of(right.at("ground_glass").at("volume")) == 0.75);
  CHECK(value_of(right.at("ground_glass").at("percent_of_lung")) == 16.67);
  CHECK(value_of(right.at("density").at("mean")) == -808.3);
  CHECK(right.at("zones").array[0].at("zone").string == "right upper zone");
  CHECK(value_of(right.at("zones").array[0].at("score")) == 3);
  CHECK(value_of(results.at("left_lung").at("zones").array[2].at("score")) == 2);
  CHECK(value_of(results.at("both_lungs").at("severity_score")) == 5);
  CHECK(value_of(results.at("both_lungs").at("scored_zones")) == 6);
  CHECK(value_of(results.at("both_lungs").at("volume")) == 9.0);

  const JsonValue& counts = results.at("both_lungs").at("density").at("histogram").at("counts").at("value");
  REQUIRE(counts.array.size() == 123);
  double total = 0.0;
  for (const JsonValue& count : counts.array) total += count.number;
  CHECK(total == 900.0);

  const JsonValue& parameter = report.at("method").at("segmentation").at("parameters").array[0];
  CHECK(parameter.at("name").string == "lung_threshold");
  CHECK(parameter.at("value").number == -400.0);
  CHECK(parameter.at("unit").string == "HU");

  const JsonValue& diagnostic = report.at("diagnostics").array[0];
  CHECK(diagnostic.at("stage").string == "load");
  CHECK(diagnostic.at("code").string == "missing_slice");
  CHECK(diagnostic.at("file").string == "IM0004.dcm");
}

TEST_CASE("report json fixed decimals") {
  const ReportText report = write_report_json(box_report_input());
  REQUIRE(report.ok);
  CHECK(report.text.find("\"value\": 16.67,") != std::string::npos);
  CHECK(report.text.find("\"value\": 4.500,") != std::string::npos);
  CHECK(report.text.find("\"value\": -808.3,") != std::string::npos);
  CHECK(report.text.find("\"value\": [2.000000, 2.000000, 2.500000]") != std::string::npos);
  CHECK(report.text.back() == '\n');
}

TEST_CASE("broken report fails schema") {
  const JsonValue schema = load_schema();

  SUBCASE("missing field") {
    JsonValue report = box_report();
    auto& members = report.find("results")->find("right_lung")->object;
    std::erase_if(members, [](const auto& member) { return member.first == "volume"; });
    const auto errors = validate_json_schema(schema, report);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors[0].find("/results/right_lung") == 0);
    CHECK(errors[0].find("\"volume\" is missing") != std::string::npos);
  }
  SUBCASE("wrong unit") {
    JsonValue report = box_report();
    report.find("results")->find("left_lung")->find("volume")->find("unit")->string = "L";
    const auto errors = validate_json_schema(schema, report);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("/results/left_lung/volume/unit") == 0);
  }
  SUBCASE("score out of range") {
    JsonValue report = box_report();
    report.find("results")->find("both_lungs")->find("severity_score")->find("value")->number = 31;
    CHECK_FALSE(validate_json_schema(schema, report).empty());
  }
  SUBCASE("extra member") {
    JsonValue report = box_report();
    report.find("input")->object.push_back({"patient_name", JsonValue{}});
    CHECK_FALSE(validate_json_schema(schema, report).empty());
  }
  SUBCASE("results null while complete") {
    JsonValue report = box_report();
    *report.find("results") = JsonValue{};
    CHECK_FALSE(validate_json_schema(schema, report).empty());
  }
  SUBCASE("bad timestamp") {
    JsonValue report = box_report();
    report.find("generated_at")->string = "yesterday";
    CHECK_FALSE(validate_json_schema(schema, report).empty());
  }
}

TEST_CASE("failed report validates") {
  ReportInput input = box_report_input();
  input.quantification = LungQuantification{};
  input.quantification.diagnostics.push_back(
      {DiagnosticCode::invalid_argument, Severity::error, "", "quantify: no lung found"});
  const ReportText report = write_report_json(input);
  REQUIRE(report.ok);
  const JsonValue json = parse_json(report.text);
  CHECK(json.at("status").string == "failed");
  CHECK(json.at("results").type == JsonValue::Type::null);
  CHECK(json.at("diagnostics").array.back().at("stage").string == "quantify");
  CHECK(validate_json_schema(load_schema(), json).empty());
}

TEST_CASE("undecoded slice makes report partial") {
  ReportInput input = box_report_input();
  CHECK(parse_json(write_report_json(input).text).at("status").string == "complete");

  input.load_diagnostics.push_back({DiagnosticCode::decode_failed, Severity::error, "slice-017.dcm",
                                    "decoding the Pixel Data failed"});
  const ReportText report = write_report_json(input);
  REQUIRE(report.ok);
  const JsonValue json = parse_json(report.text);
  CHECK(json.at("status").string == "partial");
  const std::vector<std::string> errors = validate_json_schema(load_schema(), json);
  for (const std::string& message : errors) MESSAGE(message);
  CHECK(errors.empty());
}

TEST_CASE("missing slices make report partial") {
  ReportInput input = box_report_input();
  input.series.missing_slices = 2;
  const JsonValue json = parse_json(write_report_json(input).text);
  CHECK(json.at("status").string == "partial");
  const ReportText html = write_report_html(input);
  CHECK(html.text.find("2 slice(s) are missing from the series") != std::string::npos);
}

TEST_CASE("neural part is partial when slices failed") {
  ReportInput input = box_report_input();
  NeuralReportPart neural;
  neural.segmentation_method.engine = "neural";
  neural.quantification = input.quantification;
  input.neural = neural;
  CHECK(parse_json(write_report_json(input).text).at("neural").at("status").string == "complete");

  input.load_diagnostics.push_back({DiagnosticCode::decode_failed, Severity::error, "slice-017.dcm",
                                    "decoding the Pixel Data failed"});
  const JsonValue json = parse_json(write_report_json(input).text);
  CHECK(json.at("status").string == "partial");
  CHECK(json.at("neural").at("status").string == "partial");
  CHECK(json.at("neural").at("results").type == JsonValue::Type::object);
  const std::vector<std::string> errors = validate_json_schema(load_schema(), json);
  for (const std::string& message : errors) MESSAGE(message);
  CHECK(errors.empty());
}

TEST_CASE("empty lung report validates") {
  ReportInput input = box_report_input();
  input.quantification.left = LungMeasures{};
  input.quantification.left.side = LungSide::left;
  const ReportText report = write_report_json(input);
  REQUIRE(report.ok);
  const JsonValue json = parse_json(report.text);
  const JsonValue& left = json.at("results").at("left_lung");
  CHECK(left.at("involvement").at("percent_of_lung").at("value").type == JsonValue::Type::null);
  CHECK(left.at("z_extent").at("value").type == JsonValue::Type::null);
  CHECK(validate_json_schema(load_schema(), json).empty());
}

TEST_CASE("report rejects bad input") {
  ReportInput input = box_report_input();
  SUBCASE("timestamp") {
    input.generated_at = "2024-05-01 12:00";
    const ReportText report = write_report_json(input);
    CHECK_FALSE(report.ok);
    CHECK(report.text.empty());
    REQUIRE(report.diagnostics.size() == 1);
    CHECK(report.diagnostics[0].code == DiagnosticCode::invalid_argument);
    CHECK(report.diagnostics[0].message.find("2024-05-01 12:00") != std::string::npos);
  }
  SUBCASE("parameter without unit") {
    input.segmentation_method.parameters.push_back({"iterations", 3.0, "", 0, "closing iterations"});
    CHECK_FALSE(write_report_json(input).ok);
  }
}

TEST_CASE("report escapes strings") {
  ReportInput input = box_report_input();
  input.series.description = "Lung \"sharp\"\\\n\x01 Thorax \xC3\xA4 \xFF";
  const ReportText report = write_report_json(input);
  REQUIRE(report.ok);
  CHECK(report.text.find(R"("Lung \"sharp\"\\\n\u0001 Thorax )"
                         "\xC3\xA4 \xEF\xBF\xBD\"") != std::string::npos);
  const JsonValue json = parse_json(report.text);
  CHECK(json.at("input").at("series_description").string ==
        "Lung \"sharp\"\\\n\x01 Thorax \xC3\xA4 \xEF\xBF\xBD");
}

}  // TEST_SUITE
