// lunglens: native command-line tool over the core.
//
//   lunglens analyze [PATH...] [options]  analyse a chest CT (or --sample)
//     --sample            analyse the built-in synthetic chest phantom
//     --out DIR           output folder (default lunglens-out): report.json,
//                         report.html, masks.nii and key-*.png key images
//     --series N          series index from `lunglens series` (default: the chest CT)
//     --timing            print one JSON line with stage times and peak memory
//     --quiet             no progress output (a bar on a terminal, stage lines otherwise)
//     --generated-at TIME RFC 3339 time written into the report (default: now, UTC)
//   lunglens series PATH...            list the image series and skipped files
//   lunglens load PATH... [options]    decode one series to an HU volume
//     --series N          series index from `lunglens series` (default 0: the largest)
//     --raw FILE          write the voxels (int16 or float32 little endian, i fastest)
//     --geometry FILE     write the geometry and voxel type as JSON
//     --metadata FILE     write the series metadata as DICOM JSON (PS3.18 F.2)
//     --timing            print one JSON line with wall time and peak memory
//
// Exit status: 0 success, 1 the input could not be analysed (one-line reason
// on stderr), 2 usage error.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "dicom/dicom_json.h"
#include "dicom/series_loader.h"
#include "dicom/series_scan.h"
#include "analyze_command.h"
#include "file_input.h"

namespace {

using namespace lunglens;

struct Arguments {
  std::string command;
  std::vector<std::string> paths;
  int series = 0;
  std::string raw_path;
  std::string geometry_path;
  std::string metadata_path;
  bool timing = false;
};

// Prints the usage: on stdout with status 0 for --help (message null), else
// on stderr after the message with status 2.
int usage(const char* message) {
  FILE* out = message ? stderr : stdout;
  if (message) std::fprintf(stderr, "lunglens: %s\n", message);
  std::fprintf(out,
               "usage: lunglens analyze [PATH...] [--sample] [--out DIR] [--series N] [--timing] [--quiet]\n"
               "                        [--generated-at TIME]\n"
               "       lunglens series PATH...\n"
               "       lunglens load PATH... [--series N] [--raw FILE] [--geometry FILE]\n"
               "                             [--metadata FILE] [--timing]\n");
  return message ? 2 : 0;
}

bool parse_arguments(int argc, char** argv, Arguments& arguments, std::string& error) {
  if (argc < 2) {
    error = "missing command";
    return false;
  }
  arguments.command = argv[1];
  for (int a = 2; a < argc; ++a) {
    const std::string option = argv[a];
    auto value = [&](std::string& target) {
      if (a + 1 >= argc) {
        error = option + " needs a value";
        return false;
      }
      if (std::string(argv[a + 1]).starts_with("--")) {
        error = option + " needs a value, not the option " + argv[a + 1];
        return false;
      }
      target = argv[++a];
      return true;
    };
    if (option == "--series") {
      std::string text;
      if (!value(text)) return false;
      char* end = nullptr;
      arguments.series = static_cast<int>(std::strtol(text.c_str(), &end, 10));
      if (*end != '\0' || arguments.series < 0) {
        error = "--series expects a non-negative integer, got '" + text + "'";
        return false;
      }
    } else if (option == "--raw") {
      if (!value(arguments.raw_path)) return false;
    } else if (option == "--geometry") {
      if (!value(arguments.geometry_path)) return false;
    } else if (option == "--metadata") {
      if (!value(arguments.metadata_path)) return false;
    } else if (option == "--timing") {
      arguments.timing = true;
    } else if (option.rfind("--", 0) == 0) {
      error = "unknown option " + option;
      return false;
    } else {
      arguments.paths.push_back(option);
    }
  }
  if (arguments.paths.empty()) {
    error = "no input files or folders given";
    return false;
  }
  return true;
}

void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& diagnostic : diagnostics) std::fprintf(stderr, "%s\n", format_diagnostic(diagnostic).c_str());
}

long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;  // Linux reports kilobytes.
}

std::string json_vector(const Vec3& v) {
  char text[128];
  std::snprintf(text, sizeof text, "[%.17g, %.17g, %.17g]", v[0], v[1], v[2]);
  return text;
}

bool write_bytes(const std::string& path, const void* data, std::size_t size) {
  std::ofstream stream(path, std::ios::binary);
  stream.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(stream);
}

std::string geometry_json(const HuVolume& volume) {
  const Geometry& g = volume.geometry;
  std::string json = "{\n";
  json += "  \"size\": [" + std::to_string(g.size[0]) + ", " + std::to_string(g.size[1]) + ", " +
          std::to_string(g.size[2]) + "],\n";
  json += "  \"spacing_mm\": " + json_vector(g.spacing_mm) + ",\n";
  json += "  \"origin_mm\": " + json_vector(g.origin_mm) + ",\n";
  json += "  \"axes\": [" + json_vector(g.axes[0]) + ", " + json_vector(g.axes[1]) + ", " +
          json_vector(g.axes[2]) + "],\n";
  json += std::string("  \"voxel_type\": \"") + (volume.voxel_type == VoxelType::int16 ? "int16" : "float32") +
          "\",\n";
  json += "  \"padded_voxels\": " +
          std::to_string(std::count(volume.padding_mask.begin(), volume.padding_mask.end(), 1)) + "\n}\n";
  return json;
}

int run_series(const Arguments& arguments) {
  const cli::LoadedFiles loaded = cli::read_input_paths(arguments.paths);
  for (const auto& error : loaded.errors) std::fprintf(stderr, "error: %s\n", error.c_str());
  const auto files = loaded.input_files();
  const ScanResult scan = scan_files(files);
  print_diagnostics(scan.diagnostics);
  for (std::size_t s = 0; s < scan.series.size(); ++s) {
    const SeriesInfo& series = scan.series[s];
    const Geometry& g = series.geometry;
    std::printf("%zu\t%s\t%s\t%zu slices\t%lldx%lld\t%.3fx%.3f mm\tstep %.3f mm\t%s\n", s,
                series.modality.c_str(), series.description.c_str(), series.slices.size(),
                static_cast<long long>(g.size[0]), static_cast<long long>(g.size[1]), g.spacing_mm[0],
                g.spacing_mm[1], series.slice_step_mm, series.id.c_str());
    print_diagnostics(series.diagnostics);
  }
  if (scan.series.empty()) {
    std::fprintf(stderr, "lunglens: no image series found in %zu files\n", files.size());
    return 1;
  }
  return 0;
}

int run_load(const Arguments& arguments) {
  const auto start = std::chrono::steady_clock::now();
  const cli::LoadedFiles loaded = cli::read_input_paths(arguments.paths);
  for (const auto& error : loaded.errors) std::fprintf(stderr, "error: %s\n", error.c_str());
  const auto files = loaded.input_files();
  const auto read_done = std::chrono::steady_clock::now();

  const ScanResult scan = scan_files(files);
  print_diagnostics(scan.diagnostics);
  if (scan.series.empty()) {
    std::fprintf(stderr, "lunglens: no image series found in %zu files\n", files.size());
    return 1;
  }
  if (static_cast<std::size_t>(arguments.series) >= scan.series.size()) {
    std::fprintf(stderr, "lunglens: --series %d is out of range (%zu series found)\n", arguments.series,
                 scan.series.size());
    return 1;
  }
  const auto scan_done = std::chrono::steady_clock::now();

  LoadResult result = load_series(scan, static_cast<std::size_t>(arguments.series), files);
  print_diagnostics(result.diagnostics);
  const auto load_done = std::chrono::steady_clock::now();
  if (!result.ok) {
    std::fprintf(stderr, "lunglens: series %d could not be loaded\n", arguments.series);
    return 1;
  }
  const HuVolume& volume = result.volume;

  if (!arguments.raw_path.empty()) {
    const bool written = volume.voxel_type == VoxelType::int16
                             ? write_bytes(arguments.raw_path, volume.int16_hu.data(), volume.int16_hu.size() * 2)
                             : write_bytes(arguments.raw_path, volume.float32_hu.data(), volume.float32_hu.size() * 4);
    if (!written) {
      std::fprintf(stderr, "lunglens: failed to write %s\n", arguments.raw_path.c_str());
      return 1;
    }
  }
  if (!arguments.geometry_path.empty()) {
    const std::string json = geometry_json(volume);
    if (!write_bytes(arguments.geometry_path, json.data(), json.size())) {
      std::fprintf(stderr, "lunglens: failed to write %s\n", arguments.geometry_path.c_str());
      return 1;
    }
  }
  if (!arguments.metadata_path.empty()) {
    const std::string json = series_metadata_json(scan, static_cast<std::size_t>(arguments.series), files);
    if (!write_bytes(arguments.metadata_path, json.data(), json.size())) {
      std::fprintf(stderr, "lunglens: failed to write %s\n", arguments.metadata_path.c_str());
      return 1;
    }
  }

  const auto& g = volume.geometry;
  std::printf("loaded %lldx%lldx%lld voxels, spacing %.4f x %.4f x %.4f mm, %s\n",
              static_cast<long long>(g.size[0]), static_cast<long long>(g.size[1]),
              static_cast<long long>(g.size[2]), g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2],
              volume.voxel_type == VoxelType::int16 ? "int16 HU" : "float32 HU");

  if (arguments.timing) {
    auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::printf(
        "{\"engine\": \"native\", \"files\": %zu, \"input_bytes\": %lld, \"volume_bytes\": %lld, "
        "\"read_s\": %.4f, \"scan_s\": %.4f, \"decode_s\": %.4f, \"total_s\": %.4f, \"peak_rss_bytes\": %ld}\n",
        files.size(), static_cast<long long>(loaded.total_bytes), static_cast<long long>(volume.storage_bytes()),
        seconds(start, read_done), seconds(read_done, scan_done), seconds(scan_done, load_done),
        seconds(start, load_done), peak_rss_bytes());
  }
  return 0;
}

}  // namespace

// Parses the options of `lunglens analyze`; returns false with `error` set on misuse.
bool parse_analyze_arguments(int argc, char** argv, cli::AnalyzeArguments& arguments, std::string& error) {
  for (int a = 2; a < argc; ++a) {
    const std::string option = argv[a];
    if (option == "--sample") {
      arguments.sample = true;
    } else if (option == "--timing") {
      arguments.timing = true;
    } else if (option == "--quiet") {
      arguments.quiet = true;
    } else if (option == "--out" || option == "--series" || option == "--generated-at") {
      if (a + 1 >= argc) {
        error = option + " needs a value";
        return false;
      }
      if (std::string(argv[a + 1]).starts_with("--")) {
        error = option + " needs a value, not the option " + argv[a + 1];
        return false;
      }
      const std::string value = argv[++a];
      if (option == "--out") {
        arguments.output_folder = value;
      } else if (option == "--generated-at") {
        arguments.generated_at = value;
      } else {
        char* end = nullptr;
        arguments.series = static_cast<int>(std::strtol(value.c_str(), &end, 10));
        if (*end != '\0' || arguments.series < 0) {
          error = "--series expects a non-negative integer, got '" + value + "'";
          return false;
        }
      }
    } else if (option.rfind("--", 0) == 0) {
      error = "unknown option " + option;
      return false;
    } else {
      arguments.paths.push_back(option);
    }
  }
  if (arguments.sample == !arguments.paths.empty()) {
    error = arguments.sample ? "give either --sample or input paths, not both" : "no input files or folders given (or --sample)";
    return false;
  }
  return true;
}

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "analyze") {
    cli::AnalyzeArguments arguments;
    std::string error;
    if (!parse_analyze_arguments(argc, argv, arguments, error)) return usage(error.c_str());
    return cli::run_analyze(arguments);
  }

  if (argc >= 2) {
    const std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") return usage(nullptr);
    if (command == "--version") {
      std::printf("lunglens %s\n", LUNGLENS_VERSION);
      return 0;
    }
    if (command != "series" && command != "load") return usage(("unknown command '" + command + "'").c_str());
  }

  Arguments arguments;
  std::string error;
  if (!parse_arguments(argc, argv, arguments, error)) return usage(error.c_str());
  if (arguments.command == "series") return run_series(arguments);
  if (arguments.command == "load") return run_load(arguments);
  return usage(("unknown command '" + arguments.command + "'").c_str());
}
