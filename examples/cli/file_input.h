// Reading the files a user names on the command line: folders are walked
// recursively, files are read whole into memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dicom/input_file.h"

namespace lunglens::cli {

struct LoadedFiles {
  std::vector<std::string> names;
  std::vector<std::vector<std::uint8_t>> contents;
  std::vector<std::string> errors;  // Files that could not be read, with the reason.
  std::int64_t total_bytes = 0;

  // Returns views of the contents; valid while this object lives unchanged.
  std::vector<InputFile> input_files() const;
};

// Reads every regular file under each path (a file or a folder), sorted by
// path. Hidden files (starting with '.') are skipped.
LoadedFiles read_input_paths(const std::vector<std::string>& paths);

}  // namespace lunglens::cli
