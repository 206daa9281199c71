#include "report/report_html.h"

#include <algorithm>
#include <span>
#include <utility>

#include "quantify/severity_score.h"
#include "report/report_quantities.h"
#include "report/text_encoding.h"
#include "text/base64.h"

#ifndef LUNGLENS_VERSION
#define LUNGLENS_VERSION "unknown"
#endif

namespace lunglens {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 60em; color: #111; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.patient { font-weight: 600; margin: 0.2em 0 0.6em; }
.disclaimer { border: 2px solid #a00; padding: 0.5em 0.8em; background: #fff4f4; }
.score { font-size: 1.3em; font-weight: bold; }
.muted { color: #555; font-size: 0.9em; }
svg rect.bar { fill: #357; }
figure.key-image { display: inline-block; width: calc(50% - 1.5em); margin: 0.5em 1em 0.5em 0; vertical-align: top; }
figure.key-image img { width: 100%; height: auto; }
figure.key-image figcaption { font-size: 0.85em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, svg, figure { break-inside: avoid; } .disclaimer { background: none; } }
@page { size: A4; margin: 15mm; }
)";

class Html {
 public:
  void raw(std::string_view markup) { out_ += markup; }
  void text(std::string_view text) { out_ += escape_html(text); }

  // Writes <tag>escaped text</tag>.
  void element(std::string_view tag, std::string_view content) {
    out_ += '<';
    out_ += tag;
    out_ += '>';
    text(content);
    out_ += "</";
    out_ += tag;
    out_ += ">\n";
  }

  void cell(std::string_view content) { element("td", content); }

  void number_cell(std::string_view content) {
    raw("<td class=\"number\">");
    text(content);
    raw("</td>\n");
  }

  void header_row(std::initializer_list<std::string_view> names) {
    raw("<tr>");
    for (const std::string_view name : names) element("th", name);
    raw("</tr>\n");
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Returns e.g. "4.500 mL", or "n/a" for an undefined value.
std::string quantity(std::optional<double> value, const QuantityFormat& format) {
  if (!value) return "n/a";
  std::string text = format_fixed(*value, format.decimals);
  text += format.unit == "%" ? "" : " ";
  text += format.unit;
  return text;
}

std::string fraction_text(const VolumeFraction& fraction) {
  return quantity(fraction.volume_ml, kVolumeMl) + " (" + quantity(fraction.percent_of_lung, kPercent) + ")";
}

// Returns the line that identifies the patient and the study, e.g.
// "Patient DOE, JANE, ID PID-0042, born 1960-01-31, sex F; study of
// 2020-04-01, CT THORAX, accession A123", leaving out what the files do not
// give.
std::string patient_line(const PatientStudy& patient) {
  // Appends "label value" to `text`, after ", " when `text` is not empty.
  const auto append = [](std::string& text, std::string_view label, const std::string& value) {
    if (value.empty()) return;
    if (!text.empty()) text += ", ";
    text += std::string(label) + value;
  };
  std::string line;
  append(line, "Patient ", patient.patient_name);
  append(line, "ID ", patient.patient_id);
  append(line, "born ", patient.patient_birth_date);
  append(line, "sex ", patient.patient_sex);
  if (line.empty()) line = "Patient not identified in the files (anonymised?)";

  std::string study;
  append(study, "of ", patient.study_date);
  append(study, "", patient.study_description);
  append(study, "accession ", patient.accession_number);
  return study.empty() ? line : line + "; study " + study;
}

void write_input(Html& html, const ReportInput& input) {
  const SeriesSummary& series = input.series;
  html.element("h2", "Input");
  html.raw("<table>\n");
  const auto row = [&](std::string_view name, const std::string& value) {
    html.raw("<tr>");
    html.element("th", name);
    html.cell(value);
    html.raw("</tr>\n");
  };
  row("Series description", series.description);
  row("Series number", series.series_number > 0 ? std::to_string(series.series_number) : "");
  row("Series Instance UID", series.series_instance_uid);
  row("Study Instance UID", series.study_instance_uid);
  row("Slices", std::to_string(series.slice_count));
  row("Matrix (columns x rows)", std::to_string(series.columns) + " x " + std::to_string(series.rows));
  row("Spacing (i, j, k)", format_fixed(series.spacing_mm[0], kSpacingMm.decimals) + " x " +
                               format_fixed(series.spacing_mm[1], kSpacingMm.decimals) + " x " +
                               format_fixed(series.spacing_mm[2], kSpacingMm.decimals) + " mm");
  row("Slice step", quantity(series.slice_step_mm, kSpacingMm));
  html.raw("</table>\n");
}

using StageDiagnostics = std::pair<std::string_view, const Diagnostics*>;

void write_diagnostics_table(Html& html, std::span<const StageDiagnostics> stages) {
  bool any = false;
  for (const auto& [stage, diagnostics] : stages) any = any || !diagnostics->empty();
  if (!any) {
    html.element("p", "None.");
    return;
  }
  html.raw("<table>\n");
  html.header_row({"Stage", "Severity", "Code", "File", "Message"});
  for (const auto& [stage, diagnostics] : stages) {
    for (const Diagnostic& diagnostic : *diagnostics) {
      html.raw("<tr>");
      html.cell(stage);
      html.cell(severity_name(diagnostic.severity));
      html.cell(code_name(diagnostic.code));
      html.cell(diagnostic.file);
      html.cell(diagnostic.message);
      html.raw("</tr>\n");
    }
  }
  html.raw("</table>\n");
}

void write_diagnostics(Html& html, const ReportInput& input) {
  html.element("h2", "Findings during processing");
  const StageDiagnostics stages[] = {{"load", &input.load_diagnostics},
                                     {"segment", &input.segmentation_diagnostics},
                                     {"quantify", &input.quantification.diagnostics}};
  write_diagnostics_table(html, stages);
}

void write_lung_table(Html& html, const LungQuantification& q) {
  html.element("h2", "Lungs");
  html.raw("<table>\n");
  html.header_row({"Region", "Lung volume", "GGO (% of lung)", "Consolidation (% of lung)",
                   "Involvement (% of lung)", "Mean density"});
  const auto row = [&](std::string_view name, const RegionMeasures& region, const DensityMeasures& density) {
    html.raw("<tr>");
    html.element("th", name);
    html.number_cell(quantity(region.lung_volume_ml, kVolumeMl));
    html.number_cell(fraction_text(region.ground_glass));
    html.number_cell(fraction_text(region.consolidation));
    html.number_cell(fraction_text(region.involvement));
    html.number_cell(quantity(density.mean_hu, kDensityHu));
    html.raw("</tr>\n");
  };
  row("Right lung", q.right.region, q.right.density);
  row("Left lung", q.left.region, q.left.density);
  row("Both lungs", q.both.region, q.both.density);
  html.raw("</table>\n");
  html.element("p", "Airway (trachea and main bronchi, not counted as lung): " +
                        quantity(q.airway_volume_ml, kVolumeMl));
}

void write_zone_table(Html& html, const LungQuantification& q) {
  html.element("h2", "Zones and severity score");
  html.raw("<table>\n");
  html.header_row({"Zone", "z range", "Lung volume", "Involvement (% of zone)", "Score (0-5)"});
  for (const LungMeasures* lung : {&q.right, &q.left}) {
    for (const ZoneMeasures& zone : lung->zones) {
      html.raw("<tr>");
      html.element("th", zone_label(zone.side, zone.zone));
      html.number_cell(lung->z_extent ? format_fixed(zone.z_lower_mm, kPositionMm.decimals) + " to " +
                                            format_fixed(zone.z_upper_mm, kPositionMm.decimals) + " mm"
                                      : std::string("n/a"));
      html.number_cell(quantity(zone.region.lung_volume_ml, kVolumeMl));
      html.number_cell(fraction_text(zone.region.involvement));
      html.number_cell(zone.score ? std::to_string(*zone.score) : std::string("n/a (no lung)"));
      html.raw("</tr>\n");
    }
  }
  html.raw("</table>\n<p class=\"score\">");
  std::string total = "Total severity score: " + std::to_string(q.both.severity_score) + " / " +
                      std::to_string(kMaxTotalScore);
  if (q.both.scored_zones < 2 * kZonesPerLung)
    total += " from " + std::to_string(q.both.scored_zones) + " of " + std::to_string(2 * kZonesPerLung) +
             " zones (the others contain no lung)";
  html.text(total);
  html.raw("</p>\n");
  html.element("p", "Zones are thirds of each lung's craniocaudal extent, not anatomical lobes.");
}

// Writes each key image as a PNG data: URL, so the page stays self-contained.
void write_key_images(Html& html, const std::vector<KeyImage>& images) {
  if (images.empty()) return;
  html.element("h2", "Key images");
  html.element("p", "Lung window; patient right on the image left. Outlines: right lung green, left lung blue. "
                    "Overlays: GGO yellow, consolidation red.");
  for (const KeyImage& image : images) {
    html.raw("<figure class=\"key-image\"><img src=\"data:image/png;base64,");
    html.raw(encode_base64(image.png));
    html.raw("\" width=\"" + std::to_string(image.image.width) + "\" height=\"" + std::to_string(image.image.height) +
             "\" alt=\"");
    html.text(image.caption);
    html.raw("\"><figcaption>");
    html.text(image.caption);
    html.raw("</figcaption></figure>\n");
  }
}

void write_density_table(Html& html, const LungQuantification& q) {
  html.element("h2", "Density bands");
  html.raw("<table>\n");
  html.header_row({"Band", "Range", "Right lung", "Left lung", "Both lungs"});
  for (int b = 0; b < kDensityBandCount; ++b) {
    const DensityBand band = kDensityBands[b];
    std::string range;
    if (band == DensityBand::emphysema)
      range = "< " + format_fixed(density_band_upper_hu(band), 0) + " HU";
    else if (band == DensityBand::non_aerated)
      range = ">= " + format_fixed(density_band_lower_hu(band), 0) + " HU";
    else
      range = format_fixed(density_band_lower_hu(band), 0) + " to < " + format_fixed(density_band_upper_hu(band), 0) + " HU";

    html.raw("<tr>");
    html.element("th", density_band_name(band));
    html.cell(range);
    for (const DensityMeasures* density : {&q.right.density, &q.left.density, &q.both.density}) {
      const DensityBandMeasure& measure = density->bands[b];
      html.number_cell(quantity(measure.volume_ml, kVolumeMl) + " (" + quantity(measure.percent, kPercent) + ")");
    }
    html.raw("</tr>\n");
  }
  html.raw("</table>\n");
  html.element("p", "Padding voxels and non-finite values are left out of density statistics (" +
                        std::to_string(q.both.density.excluded_voxel_count) + " lung voxels).");
}

void write_histogram(Html& html, const HuHistogram& histogram) {
  html.element("h2", "HU histogram of both lungs");
  const std::int64_t peak = std::max<std::int64_t>(1, *std::max_element(histogram.counts.begin(), histogram.counts.end()));
  constexpr int kBarWidth = 5;
  constexpr int kHeight = 120;
  const int width = HuHistogram::kBinCount * kBarWidth;
  html.raw("<svg width=\"" + std::to_string(width) + "\" height=\"" +
           std::to_string(kHeight + 16) + "\" role=\"img\" aria-label=\"HU histogram\">\n");
  for (int bin = 0; bin < HuHistogram::kBinCount; ++bin) {
    const std::int64_t count = histogram.counts[bin];
    if (count == 0) continue;
    const auto height = std::max<std::int64_t>(1, count * kHeight / peak);
    html.raw("<rect class=\"bar\" x=\"" + std::to_string(bin * kBarWidth) + "\" y=\"" +
             std::to_string(kHeight - height) + "\" width=\"" + std::to_string(kBarWidth - 1) +
             "\" height=\"" + std::to_string(height) + "\"><title>" +
             std::to_string(HuHistogram::bin_lower_hu(bin)) + " HU: " + std::to_string(count) +
             " voxels</title></rect>\n");
  }
  html.raw("<text x=\"0\" y=\"" + std::to_string(kHeight + 14) + "\" font-size=\"11\">" +
           std::to_string(HuHistogram::kLowerEdgeHu) + " HU</text>\n");
  html.raw("<text x=\"" + std::to_string(width) + "\" y=\"" + std::to_string(kHeight + 14) +
           "\" font-size=\"11\" text-anchor=\"end\">" + std::to_string(HuHistogram::kUpperEdgeHu) +
           " HU</text>\n</svg>\n");
  html.element("p", std::to_string(HuHistogram::kBinWidthHu) + " HU bins; " +
                        std::to_string(histogram.below_range) + " voxels below and " +
                        std::to_string(histogram.above_range) + " voxels above the range.");
}

void write_parameters(Html& html, const SegmentationMethod& method) {
  if (method.parameters.empty()) return;
  html.raw("<table>\n");
  html.header_row({"Parameter", "Meaning", "Value"});
  for (const MethodParameter& parameter : method.parameters) {
    html.raw("<tr>");
    html.cell(parameter.name);
    html.cell(parameter.description);
    html.number_cell(format_fixed(parameter.value, parameter.decimals) + " " + parameter.unit);
    html.raw("</tr>\n");
  }
  html.raw("</table>\n");
}

// Shows the neural engine's masks and numbers after the classical ones.
void write_neural(Html& html, const NeuralReportPart& neural) {
  html.element("h2", "Neural engine");
  html.element("p", "The numbers in this section come from the neural engine (" + neural.segmentation_method.engine +
                        "): lung and infection masks from the lunglens U-Net models, measured with the same "
                        "quantification as the classical engine. All numbers above this section come from the "
                        "classical engine.");
  html.element("h3", "Neural engine findings");
  const StageDiagnostics stages[] = {{"segment", &neural.segmentation_diagnostics},
                                     {"quantify", &neural.quantification.diagnostics}};
  write_diagnostics_table(html, stages);
  if (neural.quantification.ok) {
    write_lung_table(html, neural.quantification);
    write_zone_table(html, neural.quantification);
  } else {
    html.element("p", "The neural quantification failed; the findings above give the reason.");
  }
  html.element("h3", "Neural engine parameters");
  write_parameters(html, neural.segmentation_method);
}

void write_method(Html& html, const ReportInput& input) {
  html.element("h2", "Method");
  html.element("p", "Segmentation engine: " + input.segmentation_method.engine);
  write_parameters(html, input.segmentation_method);
  html.element("p", "Volumes are voxel counts times the voxel volume (" +
                        quantity(input.quantification.voxel_volume_mm3, kVoxelVolumeMm3) +
                        "); percents are ratios of voxel counts.");
  html.element("p", "Zone score rule: " + std::string(zone_score_rule()) + ".");
}

}  // namespace

std::string escape_html(std::string_view text) {
  const std::string clean = sanitize_utf8(text);
  std::string out;
  out.reserve(clean.size());
  for (const char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += "\xEF\xBF\xBD";
        else if (c == 0x7F)
          out += "\xEF\xBF\xBD";
        else
          out += c;
    }
  }
  return out;
}

ReportText write_report_html(const ReportInput& input) {
  ReportText report;
  report.diagnostics = check_report_input(input);
  if (!report.diagnostics.empty()) return report;

  Html html;
  html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  html.element("title", "Lung CT quantification: " + input.series.description);
  html.raw("<style>");
  html.raw(kStyle);
  html.raw("</style>\n</head>\n<body>\n");
  html.element("h1", "Lung CT quantification");
  html.raw("<p class=\"patient\">");
  html.text(patient_line(input.series.patient_study));
  html.raw("</p>\n");
  html.raw("<p class=\"disclaimer\">");
  html.text(kReportDisclaimer);
  html.raw("</p>\n");
  if (report_status(input) == "partial") {
    html.raw("<p class=\"disclaimer\">");
    std::string cause;
    if (const std::int64_t failed = failed_slice_count(input); failed > 0)
      cause = std::to_string(failed) + " slice(s) of the series could not be decoded or used";
    if (input.series.missing_slices > 0)
      cause += (cause.empty() ? "" : " and ") + std::to_string(input.series.missing_slices) +
               " slice(s) are missing from the series";
    html.text("Partial result: " + cause +
              " (listed under the findings below). No lung is counted in them, so lung and lesion volumes are "
              "underestimated.");
    html.raw("</p>\n");
  }

  write_input(html, input);
  write_diagnostics(html, input);
  if (input.quantification.ok) {
    write_lung_table(html, input.quantification);
    write_zone_table(html, input.quantification);
    write_key_images(html, input.key_images);
    write_density_table(html, input.quantification);
    write_histogram(html, input.quantification.both.density.histogram);
  } else {
    html.element("h2", "Results");
    html.element("p", "The quantification failed; the findings above give the reason.");
  }
  write_method(html, input);
  if (input.neural) write_neural(html, *input.neural);

  html.raw("<p class=\"muted\">");
  html.text("lunglens " + std::string(LUNGLENS_VERSION) + ", report schema " + std::string(kReportSchemaVersion) +
            ", generated " + input.generated_at);
  html.raw("</p>\n</body>\n</html>\n");

  report.text = html.take();
  report.ok = true;
  return report;
}

}  // namespace lunglens
