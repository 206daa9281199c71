// One whole analysis: DICOM bytes -> HU volume -> lung and lesion masks ->
// measurements -> JSON and HTML report. Used by the CLI, the WebAssembly
// bindings and the tests, so every front end runs the same sequence.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "diagnostics/diagnostic.h"
#include "dicom/input_file.h"
#include "dicom/series_scan.h"
#include "quantify/lung_quantification.h"
#include "report/key_image.h"
#include "report/report_input.h"
#include "segment/lung_labels.h"
#include "segment/segment_options.h"
#include "volume/volume.h"

namespace lunglens {

enum class AnalysisStage { scanning, decoding, segmenting, quantifying, reporting };

// Returns "scanning", "decoding", ... for progress displays.
std::string_view stage_name(AnalysisStage stage);

struct AnalysisOptions {
  // Series to analyse (index into ScanResult::series); empty picks the chest
  // CT with choose_chest_series.
  std::optional<std::size_t> series_index;

  SegmentOptions segment;

  // RFC 3339 time written into the report; the core has no clock of its own.
  std::string generated_at = "1970-01-01T00:00:00Z";

  // Refuse series that need more bytes than this (0: no limit); see LoadOptions.
  std::int64_t max_bytes = 0;

  // Called with (stage, done, total); return false to cancel. Decoding reports
  // every slice, segmenting each of its kSegmentSteps steps (0 at the start),
  // the other stages their start (0, 1) and end (1, 1).
  std::function<bool(AnalysisStage, int, int)> progress;
};

struct StageTiming {
  AnalysisStage stage;
  double seconds = 0.0;
};

struct AnalysisResult {
  bool ok = false;          // True when a report with results was produced.
  ScanResult scan;
  std::size_t series_index = 0;
  HuVolume volume;          // Acquisition grid of the chosen series.
  LungSegmentation segmentation;
  LungQuantification quantification;
  SegmentationMethod method;
  ReportInput report_input; // Input of the reports, kept so that a neural part can be added later.
  std::string report_json;  // Written whenever the series loaded, also with "status": "failed".
  std::string report_html;
  std::vector<KeyImage> key_images;  // Rendered when lungs were found (see report/key_image.h).
  Diagnostics load_diagnostics;  // Findings of scanning and decoding.
  Diagnostics diagnostics;       // All findings, in stage order.
  std::vector<StageTiming> timings;
};

// Returns the index of the series most likely to be the chest CT: modality
// CT first, then the most slices, then the largest in-plane matrix, then a
// description naming the chest, then the smallest SeriesInstanceUID; empty
// when the scan found no series.
std::optional<std::size_t> choose_chest_series(const ScanResult& scan);

// Returns the parameters of the classical engine as report entries.
SegmentationMethod classical_method(const SegmentOptions& options);

// Runs every stage. Never throws for bad input: failures are diagnostics, and
// ok is false.
AnalysisResult analyze_files(std::span<const InputFile> files, const AnalysisOptions& options = {});

// Runs segmentation, quantification and the report on an already loaded
// volume (e.g. the synthetic phantom); `series` describes it for the report.
void analyze_volume(AnalysisResult& result, const SeriesSummary& series, const AnalysisOptions& options);

}  // namespace lunglens
