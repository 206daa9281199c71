// The neural engine's half of an analysis: model outputs -> masks ->
// measurements with the same quantify() as the classical engine -> an
// additional, optional part of the report. The models run outside the core,
// so the caller passes their probability maps in.
#pragma once

#include <span>

#include "pipeline/analysis.h"
#include "report/report_text.h"
#include "segment/neural_output.h"

namespace lunglens {

struct NeuralAnalysis {
  LungSegmentation segmentation;
  LungQuantification quantification;
  SegmentationMethod method;
  Diagnostics diagnostics;  // Segmentation findings, then quantification findings.
};

// Returns the input and post-processing parameters of the neural engine as report entries.
SegmentationMethod neural_method(const NeuralOutputOptions& options);

// Segments `volume` from the model outputs (see neural_segmentation) and
// quantifies the masks. Quantification runs only when a lung was found.
NeuralAnalysis analyze_neural_output(const HuVolume& volume, std::span<const float> lung_probability,
                                     std::span<const float> lesion_probability,
                                     const NeuralOutputOptions& options = {});

// Returns the JSON and HTML reports of `input` with the neural part added.
// The classical numbers of `input` stay unchanged.
struct ReportPair {
  ReportText json;
  ReportText html;
};
ReportPair write_reports_with_neural(ReportInput input, const NeuralAnalysis& neural);

}  // namespace lunglens
