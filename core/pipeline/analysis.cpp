#include "pipeline/analysis.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <exception>
#include <new>
#include <set>
#include <string>
#include <tuple>

#include "dicom/series_loader.h"
#include "quantify/quantify.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "segment/lung_segmenter.h"

namespace lunglens {
namespace {

using Clock = std::chrono::steady_clock;

void append(Diagnostics& to, const Diagnostics& from) { to.insert(to.end(), from.begin(), from.end()); }

// Reports progress; returns false when the caller asked to cancel.
bool report_progress(const AnalysisOptions& options, AnalysisStage stage, int done, int total) {
  return !options.progress || options.progress(stage, done, total);
}

void add_cancelled(AnalysisResult& result, AnalysisStage stage) {
  result.diagnostics.push_back({DiagnosticCode::cancelled, Severity::error, "",
                                "analysis cancelled during " + std::string(stage_name(stage))});
}

// Zones are thirds of each lung's craniocaudal extent, so a few slices (or a
// single one) give zones that coincide and a severity score that describes
// only the scanned slab. 100 mm is well under an adult lung's 200-250 mm height.
constexpr double kMinZoneCoverageMm = 100.0;

void add_coverage_warning(AnalysisResult& result) {
  for (const LungMeasures* lung : {&result.quantification.right, &result.quantification.left}) {
    if (!lung->z_extent) continue;
    // Voxel centres span height_mm; the slab adds one slice step along z.
    const Geometry& geometry = result.volume.geometry;
    const double height_mm = lung->z_extent->height_mm() + geometry.spacing_mm[2] * std::abs(geometry.axes[2][2]);
    if (height_mm >= kMinZoneCoverageMm) continue;

    // Kept with the quantification, so the report shows it beside the scores.
    const Diagnostic warning{
        DiagnosticCode::limited_coverage, Severity::warning, "",
        "the lungs span only " + std::to_string(static_cast<int>(height_mm + 0.5)) +
            " mm craniocaudally (less than " + std::to_string(static_cast<int>(kMinZoneCoverageMm)) +
            " mm): zone scores and the severity score describe only the scanned slab, not whole lungs"};
    result.quantification.diagnostics.push_back(warning);
    result.diagnostics.push_back(warning);
    return;
  }
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

std::string_view stage_name(AnalysisStage stage) {
  switch (stage) {
    case AnalysisStage::scanning: return "scanning";
    case AnalysisStage::decoding: return "decoding";
    case AnalysisStage::segmenting: return "segmenting";
    case AnalysisStage::quantifying: return "quantifying";
    case AnalysisStage::reporting: return "reporting";
  }
  return "unknown";
}

std::optional<std::size_t> choose_chest_series(const ScanResult& scan) {
  std::optional<std::size_t> best;
  // Ties (single images of several series, say) go to a description that
  // names the chest, then to the smallest SeriesInstanceUID, so the choice
  // does not depend on the order the files came in.
  auto names_chest = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* word : {"chest", "thorax", "thx", "lung"})
      if (text.find(word) != std::string::npos) return true;
    return false;
  };
  auto rank = [&](std::size_t s) {
    const SeriesInfo& series = scan.series[s];
    return std::make_tuple(series.modality == "CT", series.slices.size(),
                           series.geometry.size[0] * series.geometry.size[1], names_chest(series.description));
  };
  for (std::size_t s = 0; s < scan.series.size(); ++s) {
    if (!best || rank(s) > rank(*best) ||
        (rank(s) == rank(*best) && scan.series[s].series_instance_uid < scan.series[*best].series_instance_uid))
      best = s;
  }
  return best;
}

SegmentationMethod classical_method(const SegmentOptions& o) {
  SegmentationMethod method;
  method.engine = "classical";
  method.parameters = {
      {"body_threshold", o.body_threshold_hu, "HU", 0,
       "tissue above this value forms the body outline"},
      {"lung_air_max", o.lung_air_max_hu, "HU", 0,
       "voxels below this value inside the body are lung air candidates"},
      {"gas", o.gas_hu, "HU", 0,
       "value below which a voxel counts as gas when telling bowel gas from lung"},
      {"gas_max_fraction", o.gas_max_fraction, "1", 2,
       "an air region with more than this fraction of voxels below the gas value is gas, not lung"},
      {"min_lung_area", o.min_lung_area_mm2, "mm2", 0,
       "smallest lung component: this area times the scanned craniocaudal extent"},
      {"min_lung_volume", o.min_lung_volume_ml, "mL", 1,
       "upper limit of the smallest lung component"},
      {"airway_lumen_max", o.airway_lumen_max_hu, "HU", 0,
       "trachea and main bronchi are tracked through voxels below this value"},
      {"bronchus_length", o.bronchus_length_mm, "mm", 1,
       "airway tracking continues this far below the carina"},
      {"pleural_closing_radius", o.pleural_closing_radius_mm, "mm", 1,
       "in-plane closing radius, so the lung mask follows the pleura over dense lesions"},
      {"enclosure_ray", o.enclosure_ray_mm, "mm", 1,
       "a voxel added by the closing needs lung within this distance in min_enclosing_directions of 8 in-plane directions"},
      {"min_enclosing_directions", static_cast<double>(o.min_enclosing_directions), "1", 0,
       "in-plane directions (of 8) that must reach lung within enclosure_ray for a voxel added by the closing"},
      {"pleural_max", o.pleural_max_hu, "HU", 0,
       "voxels above this value (bone) are never added by the closing"},
      {"ggo_min", o.ggo_min_hu, "HU", 0,
       "lower bound of GGO, raised in dependent lung (see dependent_margin)"},
      {"consolidation_min", o.consolidation_min_hu, "HU", 0,
       "upper bound of GGO and lower bound of consolidation"},
      {"consolidation_max", o.consolidation_max_hu, "HU", 0,
       "upper bound of consolidation (calcification and contrast lie above)"},
      {"dependent_margin", o.dependent_margin_hu, "HU", 0,
       "per band, the GGO bound is the 25th percentile of aerated lung plus this"},
      {"ggo_min_limit", o.ggo_min_hu_limit, "HU", 0,
       "the dependent-density correction never raises the GGO bound above this"},
      {"dependent_band", o.dependent_band_mm, "mm", 1,
       "thickness of the anterior-posterior bands of that correction"},
      {"vessel_radius", o.vessel_radius_mm, "mm", 2,
       "in-plane opening radius that removes vessel, airway-wall and pleural rims from GGO"},
      {"min_lesion", o.min_lesion_ml, "mL", 3,
       "lesion components smaller than this are dropped"},
      {"dense_lung_max", o.dense_lung_max_hu, "HU", 0,
       "dense lung below this value joins the lung candidates when dense_lung_clearance away from denser tissue"},
      {"dense_lung_clearance", o.dense_lung_clearance_mm, "mm", 1,
       "in-plane distance from denser tissue that dense lung needs to join the lung candidates"},
      {"partial_volume_depth", o.partial_volume_depth_mm, "mm", 1,
       "GGO voxels with tissue outside the lung within this distance above or below count as partial volume"},
      {"partial_volume_max_fraction", o.partial_volume_max_fraction, "1", 2,
       "a GGO component with more than this fraction of partial-volume voxels is dropped"},
      {"consolidation_core_radius", o.consolidation_core_radius_mm, "mm", 1,
       "consolidation must contain a 3D ball of this radius (wider than vessels)"},
      {"consolidation_margin", o.consolidation_margin_mm, "mm", 1,
       "consolidation within this distance of such a core belongs to it"},
  };
  return method;
}

void analyze_volume(AnalysisResult& result, const SeriesSummary& series, const AnalysisOptions& options) {
  result.method = classical_method(options.segment);

  // Segmentation.
  if (!report_progress(options, AnalysisStage::segmenting, 0, kSegmentSteps))
    return add_cancelled(result, AnalysisStage::segmenting);
  auto start = Clock::now();
  const auto segment_progress = [&options](int step, int steps) {
    return report_progress(options, AnalysisStage::segmenting, step, steps);
  };
  result.segmentation = segment_lungs(result.volume, options.segment, segment_progress);
  result.timings.push_back({AnalysisStage::segmenting, seconds_since(start)});
  const bool cancelled = std::any_of(result.segmentation.diagnostics.begin(), result.segmentation.diagnostics.end(),
                                     [](const Diagnostic& d) { return d.code == DiagnosticCode::cancelled; });
  if (cancelled) return add_cancelled(result, AnalysisStage::segmenting);
  append(result.diagnostics, result.segmentation.diagnostics);

  // Quantification (also when no lung was found: it then returns ok false
  // with the reason, and the report status is "failed").
  if (!report_progress(options, AnalysisStage::quantifying, 0, 1)) return add_cancelled(result, AnalysisStage::quantifying);
  start = Clock::now();
  if (result.segmentation.lungs_found) {
    result.quantification = quantify(result.volume, result.segmentation);
    append(result.diagnostics, result.quantification.diagnostics);
    add_coverage_warning(result);
  }
  result.timings.push_back({AnalysisStage::quantifying, seconds_since(start)});
  if (!report_progress(options, AnalysisStage::quantifying, 1, 1)) return add_cancelled(result, AnalysisStage::quantifying);

  // Report.
  if (!report_progress(options, AnalysisStage::reporting, 0, 1)) return add_cancelled(result, AnalysisStage::reporting);
  start = Clock::now();
  if (result.segmentation.lungs_found) result.key_images = render_key_images(result.volume, result.segmentation);
  ReportInput input;
  input.generated_at = options.generated_at;
  input.series = series;
  input.load_diagnostics = result.load_diagnostics;
  input.segmentation_diagnostics = result.segmentation.diagnostics;
  input.segmentation_method = result.method;
  input.quantification = result.quantification;
  input.key_images = result.key_images;
  const ReportText json = write_report_json(input);
  const ReportText html = write_report_html(input);
  append(result.diagnostics, json.diagnostics);
  result.report_json = json.text;
  result.report_html = html.text;
  result.report_input = std::move(input);
  result.timings.push_back({AnalysisStage::reporting, seconds_since(start)});
  report_progress(options, AnalysisStage::reporting, 1, 1);

  result.ok = json.ok && html.ok && result.quantification.ok;
}

AnalysisResult analyze_files(std::span<const InputFile> files, const AnalysisOptions& options) {
  AnalysisResult result;
  try {
    // Headers of every file.
    if (!report_progress(options, AnalysisStage::scanning, 0, 1)) {
      add_cancelled(result, AnalysisStage::scanning);
      return result;
    }
    auto start = Clock::now();
    result.scan = scan_files(files);
    result.timings.push_back({AnalysisStage::scanning, seconds_since(start)});
    append(result.load_diagnostics, result.scan.diagnostics);

    const auto chosen = options.series_index ? options.series_index : choose_chest_series(result.scan);
    if (!chosen || *chosen >= result.scan.series.size()) {
      result.diagnostics = result.load_diagnostics;
      result.diagnostics.push_back({DiagnosticCode::no_series, Severity::error, "",
                                    result.scan.series.empty()
                                        ? "no image series found among " + std::to_string(files.size()) + " files"
                                        : "series index " + (chosen ? std::to_string(*chosen) : "(none)") +
                                              " is out of range: " + std::to_string(result.scan.series.size()) +
                                              " series found (0 to " +
                                              std::to_string(result.scan.series.size() - 1) + ")"});
      return result;
    }
    result.series_index = *chosen;

    if (result.scan.series.size() > 1) {
      std::string others;
      for (std::size_t s = 0; s < result.scan.series.size(); ++s) {
        if (s == result.series_index) continue;
        const SeriesInfo& other = result.scan.series[s];
        others += (others.empty() ? "" : "; ") + std::to_string(s) + ": " + other.modality + " '" +
                  other.description + "', " + std::to_string(other.slices.size()) + " slices";
      }
      // Series of several studies are different examinations, often of different patients, so this is a warning.
      // A series split by geometry or acquisition leaves part of its slices out, so that is a warning too.
      std::set<std::string> studies;
      for (const SeriesInfo& info : result.scan.series) studies.insert(info.study_instance_uid);
      const bool several_studies = studies.size() > 1;
      const SeriesInfo& chosen_series = result.scan.series[result.series_index];
      const auto parts = std::count_if(result.scan.series.begin(), result.scan.series.end(), [&](const SeriesInfo& info) {
        return info.series_instance_uid == chosen_series.series_instance_uid;
      });
      std::string prefix;
      if (several_studies)
        prefix = "the input holds " + std::to_string(studies.size()) +
                 " studies (different examinations, possibly of different patients); ";
      if (parts > 1)
        prefix += "the chosen series was split into " + std::to_string(parts) +
                  " parts (see the split warning), so only part of its slices is analysed; ";
      result.load_diagnostics.push_back(
          {DiagnosticCode::series_chosen, prefix.empty() ? Severity::info : Severity::warning, "",
           prefix +
               std::to_string(result.scan.series.size()) + " image series found; analysing series " +
               std::to_string(result.series_index) + " ('" + chosen_series.description + "', " +
               std::to_string(chosen_series.slices.size()) + " slices); not analysed: " + others});
    }

    // Lung analysis thresholds are in HU, which only CT provides.
    const SeriesInfo& series = result.scan.series[result.series_index];
    if (series.irregular_step) {
      result.diagnostics = result.load_diagnostics;
      result.diagnostics.push_back({DiagnosticCode::nonuniform_slice_step, Severity::error, "",
                                    "series " + series.id + " is not analysed: its slice steps are irregular (see "
                                    "the warning above), so its volumes would be wrong"});
      return result;
    }
    if (series.modality != "CT") {
      result.diagnostics = result.load_diagnostics;
      result.diagnostics.push_back({DiagnosticCode::not_ct_modality, Severity::error, "",
                                    "series " + series.id + " has modality '" + series.modality +
                                        "'; lunglens analyses CT only, because its thresholds are in HU"});
      return result;
    }

    // Pixel data of the chosen series.
    LoadOptions load_options;
    load_options.max_bytes = options.max_bytes;
    if (options.progress)
      load_options.progress = [&options](int done, int total) {
        return options.progress(AnalysisStage::decoding, done, total);
      };
    start = Clock::now();
    LoadResult loaded = load_series(result.scan, result.series_index, files, load_options);
    result.timings.push_back({AnalysisStage::decoding, seconds_since(start)});
    append(result.load_diagnostics, loaded.diagnostics);
    result.diagnostics = result.load_diagnostics;
    if (!loaded.ok) return result;
    result.volume = std::move(loaded.volume);

    analyze_volume(result, summarize_series(result.scan.series[result.series_index]), options);
  } catch (const std::bad_alloc&) {
    result.ok = false;
    result.diagnostics.push_back({DiagnosticCode::too_large, Severity::error, "",
                                  "out of memory during the analysis; try fewer or smaller series"});
  } catch (const std::exception& error) {
    result.ok = false;
    result.diagnostics.push_back({DiagnosticCode::internal_error, Severity::error, "",
                                  std::string("internal error: ") + error.what()});
  }
  return result;
}

}  // namespace lunglens
