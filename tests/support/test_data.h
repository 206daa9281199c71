// Access to the real CT data used by tests. The folder comes from the
// environment variable LUNGLENS_DATA (default: ../shared/data beside the
// repository); tests that need it skip with a message when it is absent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lunglens::test {

// Returns the data folder, or nullopt (after printing why) when it is absent.
std::optional<std::filesystem::path> data_folder();

// Returns data_folder()/relative when it exists; otherwise prints a skip
// message naming the path and returns nullopt.
std::optional<std::filesystem::path> data_path(const std::string& relative);

// Reads a whole file; throws std::runtime_error naming the file on failure.
std::vector<std::uint8_t> read_file(const std::filesystem::path& path);

// Returns the regular files under `folder`, recursively, sorted by path.
std::vector<std::filesystem::path> list_files(const std::filesystem::path& folder);

}  // namespace lunglens::test
