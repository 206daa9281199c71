// Helpers for the DICOM tests: file sets held in memory and handed to the
// core as InputFile views.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "dicom/input_file.h"
#include "support/dicom_builder.h"
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

// Returns specs of an axial series of `count` slices, `step_mm` apart along
// +z, whose stored values are 1024 + 100 * slice + pixel index: with the
// default intercept -1024, HU = 100 * slice + pixel index. (GDCM 3.0.21's
// JPEG 2000 encoder overflows its buffer on images as small as 6 x 4, so
// compressed tests use 64 x 64.)
inline std::vector<SliceSpec> axial_series(int count, double step_mm, int rows = 4, int columns = 6) {
  std::vector<SliceSpec> specs;
  for (int k = 0; k < count; ++k) {
    SliceSpec spec;
    spec.rows = rows;
    spec.columns = columns;
    spec.position_mm = {-10.0, -20.0, 50.0 + k * step_mm};
    spec.instance_number = k + 1;
    for (int s = 0; s < spec.rows * spec.columns; ++s) spec.samples.push_back(static_cast<std::uint32_t>(1024 + 100 * k + s));
    specs.push_back(spec);
  }
  return specs;
}

// Builds every spec into a file named slice-N.dcm (N = InstanceNumber).
inline FileSet build_files(const std::vector<SliceSpec>& specs) {
  FileSet set;
  for (const SliceSpec& spec : specs) set.add("slice-" + std::to_string(spec.instance_number) + ".dcm", build_dicom(spec));
  return set;
}

}  // namespace lunglens::test
