// Writes the synthetic chest phantom into a folder as a CT series, one DICOM
// file per slice, with its ground truth beside it:
//   labels.raw   PhantomLabel per voxel (uint8, index i + nx * (j + ny * k)),
//                on the grid that load_series returns for the series.
//   truth.json   Truth volumes in mL, the grid and the label codes.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "dicom/series_writer.h"
#include "phantom/chest_phantom.h"

namespace {

constexpr const char* kUsage =
    "usage: write_phantom OUTDIR [options]\n"
    "  --matrix N          rows and columns (default 256)\n"
    "  --spacing MM        pixel spacing in mm (default 1.5)\n"
    "  --thickness MM      slice thickness and step in mm (default 2.5)\n"
    "  --z-extent MM       craniocaudal coverage in mm (default 300)\n"
    "  --position P        HFS, FFS or HFP (default HFS)\n"
    "  --noise HU          standard deviation of the Gaussian noise in HU (default 15)\n"
    "  --lesion-load X     lesion volume scale, 0 for healthy lungs (default 1)\n"
    "  --seed N            noise seed (default 1)\n"
    "  --no-padding        no padding outside the circular field of view\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double parse_number(std::string_view option, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') throw UsageError("invalid value \"" + text + "\" for " + std::string(option) + ": expected a number");
  return value;
}

long long parse_integer(std::string_view option, const std::string& text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    throw UsageError("invalid value \"" + text + "\" for " + std::string(option) + ": expected an integer");
  return value;
}

lunglens::PatientPosition parse_position(const std::string& text) {
  if (text == "HFS") return lunglens::PatientPosition::hfs;
  if (text == "FFS") return lunglens::PatientPosition::ffs;
  if (text == "HFP") return lunglens::PatientPosition::hfp;
  throw UsageError("invalid value \"" + text + "\" for --position: expected HFS, FFS or HFP");
}

struct Arguments {
  std::filesystem::path folder;
  lunglens::PhantomOptions options;
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  bool have_folder = false;
  for (int n = 1; n < argc; ++n) {
    const std::string_view option = argv[n];
    if (option == "--no-padding") {
      arguments.options.circular_fov_padding = false;
      continue;
    }
    if (option.rfind("--", 0) != 0) {
      if (have_folder) throw UsageError("unexpected second output folder \"" + std::string(option) + "\"");
      arguments.folder = argv[n];
      have_folder = true;
      continue;
    }
    if (n + 1 >= argc) throw UsageError(std::string(option) + " is missing its value");
    const std::string value = argv[++n];
    auto& o = arguments.options;
    if (option == "--matrix") {
      o.matrix = static_cast<int>(parse_integer(option, value));
    } else if (option == "--spacing") {
      o.pixel_spacing_mm = parse_number(option, value);
    } else if (option == "--thickness") {
      o.slice_thickness_mm = parse_number(option, value);
    } else if (option == "--z-extent") {
      o.z_extent_mm = parse_number(option, value);
    } else if (option == "--position") {
      o.position = parse_position(value);
    } else if (option == "--noise") {
      o.noise_sd_hu = parse_number(option, value);
    } else if (option == "--lesion-load") {
      o.lesion_load = parse_number(option, value);
    } else if (option == "--seed") {
      const long long seed = parse_integer(option, value);
      if (seed < 0 || seed > 0xFFFFFFFFll) throw UsageError("invalid value " + value + " for --seed: expected 0..4294967295");
      o.seed = static_cast<std::uint32_t>(seed);
    } else {
      throw UsageError("unknown option " + std::string(option));
    }
  }
  if (!have_folder) throw UsageError("the output folder is missing");
  return arguments;
}

void write_bytes(const std::filesystem::path& path, const void* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) throw std::runtime_error("failed to write " + path.string());
}

std::string vector_json(const lunglens::Vec3& v) {
  std::ostringstream out;
  out.precision(10);
  out << '[' << v[0] << ", " << v[1] << ", " << v[2] << ']';
  return out.str();
}

std::string truth_json(const lunglens::Phantom& phantom, const lunglens::PhantomOptions& options) {
  const lunglens::PhantomTruth& t = phantom.truth;
  const lunglens::Geometry& g = phantom.volume.geometry;
  std::ostringstream out;
  out.precision(10);
  out << "{\n"
      << "  \"position\": \"" << lunglens::patient_position_code(options.position) << "\",\n"
      << "  \"seed\": " << options.seed << ",\n"
      << "  \"lesion_load\": " << options.lesion_load << ",\n"
      << "  \"noise_sd_hu\": " << options.noise_sd_hu << ",\n"
      << "  \"truth_ml\": {\n"
      << "    \"right_lung\": " << t.right_lung_ml << ",\n"
      << "    \"left_lung\": " << t.left_lung_ml << ",\n"
      << "    \"airway\": " << t.airway_ml << ",\n"
      << "    \"ggo_right\": " << t.ggo_right_ml << ",\n"
      << "    \"ggo_left\": " << t.ggo_left_ml << ",\n"
      << "    \"consolidation_right\": " << t.consolidation_right_ml << ",\n"
      << "    \"consolidation_left\": " << t.consolidation_left_ml << "\n"
      << "  },\n"
      << "  \"labels_file\": \"labels.raw\",\n"
      << "  \"labels_layout\": \"uint8, index i + nx * (j + ny * k)\",\n"
      << "  \"size\": [" << g.size[0] << ", " << g.size[1] << ", " << g.size[2] << "],\n"
      << "  \"spacing_mm\": " << vector_json(g.spacing_mm) << ",\n"
      << "  \"origin_lps_mm\": " << vector_json(g.origin_mm) << ",\n"
      << "  \"axes_lps\": [" << vector_json(g.axes[0]) << ", " << vector_json(g.axes[1]) << ", "
      << vector_json(g.axes[2]) << "],\n"
      << "  \"label_codes\": {\"outside\": 0, \"body\": 1, \"right_lung\": 2, \"left_lung\": 3, \"airway\": 4, "
         "\"ggo_right\": 5, \"ggo_left\": 6, \"consolidation_right\": 7, \"consolidation_left\": 8, \"table\": 9}\n"
      << "}\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  Arguments arguments;
  try {
    arguments = parse_arguments(argc, argv);
  } catch (const UsageError& error) {
    std::cerr << "write_phantom: " << error.what() << "\n" << kUsage;
    return 2;
  }

  try {
    const lunglens::Phantom phantom = lunglens::generate_chest_phantom(arguments.options);

    lunglens::SeriesWriterOptions writer_options;
    writer_options.patient_position = lunglens::patient_position_code(arguments.options.position);
    const auto files = lunglens::write_ct_series(phantom.volume, writer_options);

    std::filesystem::create_directories(arguments.folder);
    for (const auto& file : files) write_bytes(arguments.folder / file.name, file.bytes.data(), file.bytes.size());
    write_bytes(arguments.folder / "labels.raw", phantom.labels.data(), phantom.labels.size());
    const std::string json = truth_json(phantom, arguments.options);
    write_bytes(arguments.folder / "truth.json", json.data(), json.size());

    std::cout << "wrote " << files.size() << " slices, labels.raw and truth.json to " << arguments.folder.string()
              << "\nright lung " << phantom.truth.right_lung_ml << " mL, left lung " << phantom.truth.left_lung_ml
              << " mL\n";
  } catch (const std::exception& error) {
    std::cerr << "write_phantom: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
