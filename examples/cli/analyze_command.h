// `lunglens analyze`: the whole analysis of a DICOM folder (or of the built-in
// synthetic phantom), writing the reports and masks to an output folder.
#pragma once

#include <string>
#include <vector>

namespace lunglens::cli {

struct AnalyzeArguments {
  std::vector<std::string> paths;  // Empty with sample = true.
  bool sample = false;             // Analyse the synthetic chest phantom.
  std::string output_folder = "lunglens-out";
  int series = -1;                 // -1 picks the chest CT.
  bool timing = false;             // Print one JSON line with stage times and peak memory.
  bool quiet = false;              // No progress output on stderr.
  std::string generated_at;        // RFC 3339 time for the report; empty uses the current UTC time.
};

// Runs the analysis; returns the process exit status (0 success, 1 failure
// with a one-line reason on stderr).
int run_analyze(const AnalyzeArguments& arguments);

}  // namespace lunglens::cli
