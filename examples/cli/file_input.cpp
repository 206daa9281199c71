#include "file_input.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace lunglens::cli {
namespace fs = std::filesystem;

std::vector<InputFile> LoadedFiles::input_files() const {
  std::vector<InputFile> files;
  files.reserve(names.size());
  for (std::size_t f = 0; f < names.size(); ++f) files.push_back({names[f], contents[f]});
  return files;
}

LoadedFiles read_input_paths(const std::vector<std::string>& paths) {
  LoadedFiles loaded;
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      // Every filesystem call takes an error_code: a symbolic-link cycle or an
      // unreadable entry becomes a message, not an exception.
      auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
      for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        std::error_code entry_error;
        const bool regular = it->is_regular_file(entry_error);
        if (entry_error) {
          loaded.errors.push_back(it->path().string() + ": skipped (" + entry_error.message() + ")");
          continue;
        }
        if (regular && it->path().filename().string().rfind('.', 0) != 0) files.push_back(it->path());
      }
      if (error) loaded.errors.push_back(path + ": cannot list folder (" + error.message() + ")");
    } else if (fs::is_regular_file(path, error)) {
      files.emplace_back(path);
    } else {
      loaded.errors.push_back(path + ": not found" + (error ? " (" + error.message() + ")" : ""));
    }
  }
  std::sort(files.begin(), files.end());

  for (const auto& file : files) {
    std::ifstream stream(file, std::ios::binary);
    if (!stream) {
      loaded.errors.push_back(file.string() + ": cannot open for reading");
      continue;
    }
    std::error_code size_error;
    const auto size = fs::file_size(file, size_error);
    if (size_error) {
      loaded.errors.push_back(file.string() + ": cannot read size (" + size_error.message() + ")");
      continue;
    }
    std::vector<std::uint8_t> bytes(size);
    if (!stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
      loaded.errors.push_back(file.string() + ": read failed");
      continue;
    }
    loaded.total_bytes += static_cast<std::int64_t>(bytes.size());
    loaded.names.push_back(file.string());
    loaded.contents.push_back(std::move(bytes));
  }
  return loaded;
}

}  // namespace lunglens::cli
