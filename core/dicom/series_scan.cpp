#include "dicom/series_scan.h"

#include "dicom/gdcm_setup.h"
#include "dicom/header_reader.h"
#include "dicom/series_grouping.h"
#include "parallel/parallel_for.h"

namespace lunglens {

ScanResult scan_files(std::span<const InputFile> files) {
  ScanResult scan;
  ensure_gdcm_initialised();

  // Headers in parallel: each worker has its own gdcm::Reader per file.
  std::vector<HeaderReadResult> results(files.size());
  try {
    parallel_for(0, static_cast<std::int64_t>(files.size()), [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t f = begin; f < end; ++f) results[f] = read_file_header(files[f], static_cast<std::size_t>(f));
    });
  } catch (const std::exception& error) {
    scan.diagnostics.push_back(
        Diagnostic{DiagnosticCode::internal_error, Severity::error, "", std::string("header scan failed: ") + error.what()});
    return scan;
  }

  scan.headers.reserve(files.size());
  for (HeaderReadResult& result : results) {
    scan.headers.push_back(std::move(result.header));
    for (Diagnostic& diagnostic : result.diagnostics) scan.diagnostics.push_back(std::move(diagnostic));
  }

  scan.series = group_series(scan.headers, files);
  if (scan.series.empty()) {
    // The message carries the first file's reason, for front ends that show errors only.
    std::string example;
    if (!scan.diagnostics.empty())
      example = " (for example " + scan.diagnostics.front().file + ": " + scan.diagnostics.front().message + ")";
    scan.diagnostics.push_back(Diagnostic{DiagnosticCode::no_series, Severity::error, "",
                                          "none of the " + std::to_string(files.size()) +
                                              " files is a slice of a cross-sectional image volume" + example});
  }
  return scan;
}

}  // namespace lunglens
