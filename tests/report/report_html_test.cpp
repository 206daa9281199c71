#include <doctest/doctest.h>

#include <string>

#include "report/report_fixture.h"
#include "report/report_html.h"

using namespace lunglens;
using namespace lunglens::test;

namespace {

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("report") {

TEST_CASE("html escapes script in description") {
  ReportInput input = box_report_input();
  input.series.description = "<script>alert('x')</script> & \"more\"";
  const ReportText report = write_report_html(input);
  REQUIRE(report.ok);
  CHECK_FALSE(contains(report.text, "<script"));
  CHECK(contains(report.text, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"));
}

TEST_CASE("html names patient and study") {
  ReportInput input = box_report_input();
  input.series.patient_study.accession_number = "A<1>";
  const ReportText report = write_report_html(input);
  REQUIRE(report.ok);
  CHECK(contains(report.text,
                 "<p class=\"patient\">Patient DOE, JANE, ID PID-0042; study of 2020-04-01, accession A&lt;1&gt;</p>"));
  CHECK(contains(report.text, "<th>Series number</th>\n<td>3</td>"));

  input.series.patient_study = {};
  const ReportText anonymous = write_report_html(input);
  REQUIRE(anonymous.ok);
  CHECK(contains(anonymous.text, "<p class=\"patient\">Patient not identified in the files (anonymised?)</p>"));
}

TEST_CASE("html unscored zone") {
  const ReportText report = write_report_html(box_report_input_with_unscored_zone());
  REQUIRE(report.ok);
  CHECK(contains(report.text, "n/a (no lung)"));
  CHECK(contains(report.text, "Total severity score: 5 / 30 from 5 of 6 zones (the others contain no lung)"));
}

TEST_CASE("html is self-contained") {
  const ReportText report = write_report_html(box_report_input());
  REQUIRE(report.ok);
  CHECK(report.text.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(report.text, "<meta charset=\"utf-8\">"));
  CHECK_FALSE(contains(report.text, "<script"));
  CHECK_FALSE(contains(report.text, "http"));
  CHECK_FALSE(contains(report.text, "src="));
  CHECK_FALSE(contains(report.text, "href="));
  CHECK_FALSE(contains(report.text, "url("));
  CHECK_FALSE(contains(report.text, "@import"));
  CHECK(contains(report.text, "@media print"));
}

TEST_CASE("html embeds key images as data urls") {
  ReportInput input = box_report_input();
  KeyImage key;
  key.name = "key-axial-upper.png";
  key.caption = "Axial slice <upper>";
  key.image = RgbImage(2, 1);
  key.png = {0x89, 'P', 'N', 'G'};
  input.key_images.push_back(key);

  const ReportText report = write_report_html(input);
  REQUIRE(report.ok);
  CHECK(contains(report.text, "<h2>Key images</h2>"));
  CHECK(contains(report.text, "<img src=\"data:image/png;base64,iVBORw==\" width=\"2\" height=\"1\""));
  CHECK(contains(report.text, "<figcaption>Axial slice &lt;upper&gt;</figcaption>"));
  CHECK_FALSE(contains(report.text, "http"));
}

TEST_CASE("html without key images has no section") {
  const ReportText report = write_report_html(box_report_input());
  REQUIRE(report.ok);
  CHECK_FALSE(contains(report.text, "Key images"));
}

TEST_CASE("html states it is not certified") {
  const ReportText report = write_report_html(box_report_input());
  REQUIRE(report.ok);
  CHECK(contains(report.text, "not a certified diagnostic (medical) device"));
}

TEST_CASE("html shows the report numbers") {
  const ReportText report = write_report_html(box_report_input());
  REQUIRE(report.ok);
  CHECK(contains(report.text, "4.500 mL"));
  CHECK(contains(report.text, "0.750 mL (16.67%)"));
  CHECK(contains(report.text, "-808.3 HU"));
  CHECK(contains(report.text, "right upper zone"));
  CHECK(contains(report.text, "Total severity score: 5 / 30"));
  CHECK(contains(report.text, "missing_slice"));
  CHECK(contains(report.text, "-400.0 HU"));
  CHECK(contains(report.text, "2024-05-01T12:00:00Z"));
}

TEST_CASE("html failed report") {
  ReportInput input = box_report_input();
  input.quantification = LungQuantification{};
  const ReportText report = write_report_html(input);
  REQUIRE(report.ok);
  CHECK(contains(report.text, "The quantification failed"));
  CHECK_FALSE(contains(report.text, "Total severity score"));
}

TEST_CASE("html warns about undecoded slices") {
  ReportInput input = box_report_input();
  CHECK(write_report_html(input).text.find("Partial result") == std::string::npos);

  input.load_diagnostics.push_back({DiagnosticCode::decode_failed, Severity::error, "slice-017.dcm",
                                    "decoding the Pixel Data failed"});
  const ReportText report = write_report_html(input);
  REQUIRE(report.ok);
  CHECK(report.text.find("Partial result: 1 slice(s) of the series could not be decoded") != std::string::npos);
}

TEST_CASE("html rejects bad timestamp") {
  ReportInput input = box_report_input();
  input.generated_at = "";
  CHECK_FALSE(write_report_html(input).ok);
}

TEST_CASE("escape html characters") {
  CHECK(escape_html("a<b>&'\"") == "a&lt;b&gt;&amp;&#39;&quot;");
  CHECK(escape_html("tab\tline\n") == "tab\tline\n");
  CHECK(escape_html("bell\x07") == "bell\xEF\xBF\xBD");
  CHECK(escape_html("M\xC3\xBCller \xE2\x82\xAC") == "M\xC3\xBCller \xE2\x82\xAC");
  CHECK(escape_html("bad \xC3") == "bad \xEF\xBF\xBD");
}

}  // TEST_SUITE
