#include "analyze_command.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "dicom/series_writer.h"
#include "file_input.h"
#include "phantom/chest_phantom.h"
#include "pipeline/analysis.h"
#include "report/mask_export.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;

std::string utc_now_rfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

bool write_file(const fs::path& path, const void* data, std::size_t size) {
  std::ofstream stream(path, std::ios::binary);
  stream.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(stream);
}

// Shows progress on stderr: a redrawn "stage [#####     ] done/total" bar
// when stderr is a terminal, otherwise one line when a stage starts and one
// when a stage of several steps ends, so logs stay readable.
class ProgressBar {
 public:
  ProgressBar(bool enabled, bool terminal) : enabled_(enabled), terminal_(terminal) {}

  bool update(AnalysisStage stage, int done, int total) {
    if (!enabled_) return true;
    const std::string name(stage_name(stage));
    if (!terminal_) {
      if (!current_ || *current_ != stage) std::fprintf(stderr, "lunglens: %s\n", name.c_str());
      current_ = stage;
      if (done == total && total > 1) std::fprintf(stderr, "lunglens: %s done (%d/%d)\n", name.c_str(), done, total);
      return true;
    }

    const int width = 30;
    const int filled = total > 0 ? done * width / total : 0;
    std::fprintf(stderr, "\r%-12s [%.*s%*s] %d/%d", name.c_str(), filled, "##############################",
                 width - filled, "", done, total);
    std::fflush(stderr);
    drawn_ = true;
    return true;
  }

  void finish() {
    if (drawn_) std::fputc('\n', stderr);
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool terminal_;
  bool drawn_ = false;
  std::optional<AnalysisStage> current_;
};

long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

}  // namespace

int run_analyze(const AnalyzeArguments& arguments) {
  const auto start = std::chrono::steady_clock::now();

  // Input: files named by the user, or the phantom written as a DICOM series.
  LoadedFiles loaded;
  if (arguments.sample) {
    const Phantom phantom = generate_chest_phantom(PhantomOptions{});
    for (auto& file : write_ct_series(phantom.volume)) {
      loaded.total_bytes += static_cast<std::int64_t>(file.bytes.size());
      loaded.names.push_back("sample/" + file.name);
      loaded.contents.push_back(std::move(file.bytes));
    }
  } else {
    loaded = read_input_paths(arguments.paths);
    for (const auto& error : loaded.errors) std::fprintf(stderr, "error: %s\n", error.c_str());
    if (loaded.names.empty()) {
      std::string paths;
      for (const auto& path : arguments.paths) paths += (paths.empty() ? "" : ", ") + path;
      std::fprintf(stderr, "lunglens: no readable files in %s (empty folders?)\n", paths.c_str());
      return 1;
    }
  }
  const auto files = loaded.input_files();
  const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Analysis.
  ProgressBar bar(!arguments.quiet, isatty(fileno(stderr)) != 0);
  AnalysisOptions options;
  options.generated_at = arguments.generated_at.empty() ? utc_now_rfc3339() : arguments.generated_at;
  if (arguments.series >= 0) options.series_index = static_cast<std::size_t>(arguments.series);
  // End time of each segmentation step, for --timing.
  std::vector<double> segment_step_ends;
  options.progress = [&](AnalysisStage stage, int done, int total) {
    if (arguments.timing && stage == AnalysisStage::segmenting)
      segment_step_ends.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return bar.update(stage, done, total);
  };
  const AnalysisResult result = analyze_files(files, options);
  bar.finish();
  for (const auto& diagnostic : result.diagnostics)
    if (diagnostic.severity != Severity::info) std::fprintf(stderr, "%s\n", format_diagnostic(diagnostic).c_str());

  // Outputs: reports whenever the series loaded, masks when lungs were found.
  std::error_code error;
  fs::create_directories(arguments.output_folder, error);
  if (error) {
    std::fprintf(stderr, "lunglens: failed to create %s (%s)\n", arguments.output_folder.c_str(), error.message().c_str());
    return 1;
  }
  const fs::path out(arguments.output_folder);
  if (!result.report_json.empty()) {
    if (!write_file(out / "report.json", result.report_json.data(), result.report_json.size()) ||
        !write_file(out / "report.html", result.report_html.data(), result.report_html.size())) {
      std::fprintf(stderr, "lunglens: failed to write the reports into %s\n", out.c_str());
      return 1;
    }
  }
  std::vector<std::string> written;
  if (result.segmentation.lungs_found) {
    const NiftiFile nifti = write_mask_nifti(result.segmentation);
    if (!nifti.ok || !write_file(out / "masks.nii", nifti.bytes.data(), nifti.bytes.size())) {
      std::fprintf(stderr, "lunglens: failed to write %s\n", (out / "masks.nii").c_str());
      return 1;
    }
    written.push_back("masks.nii");
  }
  for (const KeyImage& image : result.key_images) {
    if (image.png.empty() || !write_file(out / image.name, image.png.data(), image.png.size())) {
      std::fprintf(stderr, "lunglens: failed to write %s\n", (out / image.name).c_str());
      return 1;
    }
    written.push_back(image.name);
  }

  if (arguments.timing) {
    std::printf("{\"engine\": \"native\", \"files\": %zu, \"input_bytes\": %lld, \"read_s\": %.4f", files.size(),
                static_cast<long long>(loaded.total_bytes), read_seconds);
    double total = read_seconds;
    for (const auto& timing : result.timings) {
      std::printf(", \"%s_s\": %.4f", std::string(stage_name(timing.stage)).c_str(), timing.seconds);
      total += timing.seconds;
    }
    // Step 0 is the start of the segmentation; each later entry ends one step.
    std::printf(", \"segment_steps_s\": [");
    for (std::size_t s = 1; s < segment_step_ends.size(); ++s)
      std::printf("%s%.4f", s > 1 ? ", " : "", segment_step_ends[s] - segment_step_ends[s - 1]);
    std::printf("], \"total_s\": %.4f, \"peak_rss_bytes\": %ld}\n", total, peak_rss_bytes());
  }

  if (!result.ok) {
    const Diagnostic* reason = nullptr;
    for (const auto& diagnostic : result.diagnostics)
      if (diagnostic.severity == Severity::error) reason = &diagnostic;
    std::fprintf(stderr, "lunglens: analysis failed: %s\n",
                 reason ? format_diagnostic(*reason).c_str() : "no result (see the messages above)");
    return 1;
  }

  const auto& both = result.quantification.both;
  const std::string zones =
      both.scored_zones < 2 * kZonesPerLung
          ? " from " + std::to_string(both.scored_zones) + " of " + std::to_string(2 * kZonesPerLung) + " zones"
          : std::string();
  std::printf("lungs %.1f mL (right %.1f, left %.1f), involvement %.2f %%, severity score %d/30%s\n",
              both.region.lung_volume_ml, result.quantification.right.region.lung_volume_ml,
              result.quantification.left.region.lung_volume_ml,
              both.region.involvement.percent_of_lung.value_or(0.0), both.severity_score, zones.c_str());
  std::string names = "report.json, report.html";
  for (const auto& name : written) names += ", " + name;
  std::printf("wrote %s into %s\n", names.c_str(), out.c_str());
  return 0;
}

}  // namespace lunglens::cli
