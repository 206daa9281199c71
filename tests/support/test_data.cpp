#include "support/test_data.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace lunglens::test {

std::optional<std::filesystem::path> data_folder() {
  const char* from_environment = std::getenv("LUNGLENS_DATA");
  const std::filesystem::path folder = from_environment ? from_environment : LUNGLENS_DATA_DEFAULT;
  if (!std::filesystem::is_directory(folder)) {
    std::fprintf(stderr, "SKIP: real-data folder %s not found (set LUNGLENS_DATA)\n",
                 folder.string().c_str());
    return std::nullopt;
  }
  return folder;
}

std::optional<std::filesystem::path> data_path(const std::string& relative) {
  const auto folder = data_folder();
  if (!folder) return std::nullopt;
  const auto path = *folder / relative;
  if (!std::filesystem::exists(path)) {
    std::fprintf(stderr, "SKIP: %s not found in the real-data folder\n", path.string().c_str());
    return std::nullopt;
  }
  return path;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw std::runtime_error("cannot open " + path.string());
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(stream), {});
}

std::vector<std::filesystem::path> list_files(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace lunglens::test
