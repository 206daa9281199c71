// Helpers for the DICOM tests: file sets held in memory and handed to the
// core as InputFile views.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dicom/input_file.h"
#include "support/test_data.h"

namespace lunglens::test {

// Owns the bytes of a list of files and exposes them as InputFile views.
class FileSet {
 public:
  void add(std::string name, std::vector<std::uint8_t> bytes) {
    names_.push_back(std::move(name));
    storage_.push_back(std::move(bytes));
  }

  void add_path(const std::filesystem::path& path) { add(path.filename().string(), read_file(path)); }

  // Returns views over the stored bytes; valid until the next add().
  std::vector<InputFile> files() const {
    std::vector<InputFile> files;
    for (std::size_t f = 0; f < storage_.size(); ++f) files.push_back({names_[f], storage_[f]});
    return files;
  }

  std::size_t size() const { return storage_.size(); }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::uint8_t>> storage_;
};

// Reads every regular file under `folder` (recursively, sorted by path).
inline FileSet read_folder(const std::filesystem::path& folder) {
  FileSet set;
  for (const auto& path : list_files(folder)) set.add(std::filesystem::relative(path, folder).string(), read_file(path));
  return set;
}

}  // namespace lunglens::test
