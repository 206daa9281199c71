#include "dicom/series_writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <gdcmDataElement.h>
#include <gdcmDataSet.h>
#include <gdcmFile.h>
#include <gdcmFileMetaInformation.h>
#include <gdcmTag.h>
#include <gdcmTransferSyntax.h>
#include <gdcmUIDGenerator.h>
#include <gdcmVR.h>
#include <gdcmWriter.h>

#include "dicom/gdcm_setup.h"

namespace lunglens {
namespace {

constexpr const char* kCtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
constexpr int kRescaleIntercept = -1024;

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("write_ct_series: " + message);
}

// Formats a Decimal String value in at most 16 characters (the DS limit).
std::string decimal_string(double value) {
  if (std::abs(value) < 1e-9) value = 0.0;  // Avoid "-0" and "1e-17" noise from axis arithmetic.
  char text[32];
  for (int precision = 12; precision > 0; --precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::string_view(text).size() <= 16) break;
  }
  return text;
}

std::string decimal_strings(std::initializer_list<double> values) {
  std::string text;
  for (const double value : values) {
    if (!text.empty()) text += '\\';
    text += decimal_string(value);
  }
  return text;
}

// Data set builder that applies the padding rule of each VR. UI values pad
// with NUL and other text with a space. Binary values are written little endian.
class DataSetBuilder {
 public:
  explicit DataSetBuilder(gdcm::DataSet& data_set) : data_set_(data_set) {}

  void text(std::uint16_t group, std::uint16_t element, gdcm::VR vr, std::string value) {
    if (value.size() % 2 != 0) value.push_back(vr == gdcm::VR::UI ? '\0' : ' ');
    put(group, element, vr, value.data(), value.size());
  }

  void unsigned16(std::uint16_t group, std::uint16_t element, std::uint16_t value) {
    const std::array<char, 2> bytes{static_cast<char>(value & 0xFF), static_cast<char>(value >> 8)};
    put(group, element, gdcm::VR::US, bytes.data(), bytes.size());
  }

  void signed16(std::uint16_t group, std::uint16_t element, std::int16_t value) {
    const auto bits = static_cast<std::uint16_t>(value);
    const std::array<char, 2> bytes{static_cast<char>(bits & 0xFF), static_cast<char>(bits >> 8)};
    put(group, element, gdcm::VR::SS, bytes.data(), bytes.size());
  }

  void put(std::uint16_t group, std::uint16_t element, gdcm::VR vr, const char* bytes, std::size_t size) {
    gdcm::DataElement data_element(gdcm::Tag(group, element));
    data_element.SetVR(vr);
    data_element.SetByteValue(bytes, static_cast<std::uint32_t>(size));
    data_set_.Replace(data_element);
  }

 private:
  gdcm::DataSet& data_set_;
};

void check_text(const std::string& value, const char* name, bool allow_empty) {
  if (value.empty() && !allow_empty) fail(std::string(name) + " is empty");
  if (value.size() > 64) fail(std::string(name) + " is longer than 64 characters: \"" + value + "\"");
  for (const char c : value) {
    if (c < 0x20 || c > 0x7E || c == '\\')
      fail(std::string(name) + " contains a character outside printable ASCII or a backslash: \"" + value + "\"");
  }
}

bool is_uid(const std::string& uid, std::size_t max_length) {
  if (uid.empty() || uid.size() > max_length || uid.front() == '.' || uid.back() == '.') return false;
  for (std::size_t n = 0; n < uid.size(); ++n) {
    const char c = uid[n];
    if (c == '.') {
      if (uid[n - 1] == '.') return false;
    } else if (c < '0' || c > '9') {
      return false;
    } else if (c == '0' && (n == 0 || uid[n - 1] == '.') && n + 1 < uid.size() && uid[n + 1] != '.') {
      return false;  // A UID component has no leading zero.
    }
  }
  return true;
}

void check_options(const SeriesWriterOptions& options) {
  check_text(options.patient_name, "patient_name", true);
  check_text(options.patient_id, "patient_id", true);
  check_text(options.series_description, "series_description", true);

  static const std::array<std::string_view, 8> positions{"HFS", "FFS", "HFP", "FFP", "HFDR", "HFDL", "FFDR", "FFDL"};
  if (std::find(positions.begin(), positions.end(), options.patient_position) == positions.end())
    fail("patient_position \"" + options.patient_position + "\" is not one of HFS, FFS, HFP, FFP, HFDR, HFDL, FFDR, FFDL");

  if (!options.study_instance_uid.empty() && !is_uid(options.study_instance_uid, 64))
    fail("study_instance_uid \"" + options.study_instance_uid + "\" is not a valid UID");
  if (!options.series_instance_uid.empty() && !is_uid(options.series_instance_uid, 64))
    fail("series_instance_uid \"" + options.series_instance_uid + "\" is not a valid UID");
  if (!options.uid_root.empty() && !is_uid(options.uid_root, 40))
    fail("uid_root \"" + options.uid_root + "\" is not a UID root of at most 40 characters (digits and dots)");

  if (options.series_number < 0 || options.series_number > 99999999)
    fail("series_number " + std::to_string(options.series_number) + " is outside 0..99999999");
  if (!(options.slice_thickness_mm >= 0.0) || !std::isfinite(options.slice_thickness_mm))
    fail("slice_thickness_mm " + std::to_string(options.slice_thickness_mm) + " is negative or not finite");
}

void check_volume(const HuVolume& volume) {
  const Geometry& g = volume.geometry;
  for (int a = 0; a < 3; ++a) {
    if (g.size[a] < 1) fail("the volume is empty (size " + std::to_string(g.size[a]) + " along axis " + std::to_string(a) + ")");
    if (!(g.spacing_mm[a] > 0.0) || !std::isfinite(g.spacing_mm[a]))
      fail("spacing along axis " + std::to_string(a) + " is " + std::to_string(g.spacing_mm[a]) + " mm; it must be positive");
  }
  if (g.size[0] > 65535 || g.size[1] > 65535)
    fail("a slice of " + std::to_string(g.size[0]) + " x " + std::to_string(g.size[1]) + " exceeds 65535 rows or columns");
  if (g.size[2] > 99999) fail(std::to_string(g.size[2]) + " slices exceed the limit of 99999");

  const auto voxels = static_cast<std::size_t>(g.voxel_count());
  const std::size_t held = volume.voxel_type == VoxelType::int16 ? volume.int16_hu.size() : volume.float32_hu.size();
  if (held != voxels)
    fail("the voxel buffer holds " + std::to_string(held) + " values but the grid has " + std::to_string(voxels));
  if (!volume.padding_mask.empty() && volume.padding_mask.size() != voxels)
    fail("the padding mask holds " + std::to_string(volume.padding_mask.size()) + " values but the grid has " +
         std::to_string(voxels));

  // IOP needs two orthonormal direction cosines.
  for (int a = 0; a < 2; ++a)
    if (std::abs(norm(g.axes[a]) - 1.0) > 1e-4) fail("axis " + std::to_string(a) + " is not a unit vector");
  if (std::abs(dot(g.axes[0], g.axes[1])) > 1e-4) fail("axes 0 and 1 (IOP) are not orthogonal");

  // Slices must advance along the normal. The limit is cos 84 degrees = 0.1045.
  const Vec3 normal = cross(g.axes[0], g.axes[1]);
  const double along_normal = dot(normalized(g.axes[2]), normal);
  if (!(std::abs(along_normal) >= 0.1045))
    fail("the slice axis lies within 6 degrees of the image plane, so the volume cannot be written as axial slices");
}

struct SeriesUids {
  std::string study;
  std::string series;
  std::string frame_of_reference;
};

class UidSource {
 public:
  explicit UidSource(std::string root) : root_(std::move(root)) {}

  std::string make(const std::string& suffix) {
    if (!root_.empty()) return root_ + "." + suffix;
    return generator_.Generate();
  }

 private:
  std::string root_;
  gdcm::UIDGenerator generator_;
};

// Converts one slice to stored values.
std::vector<std::int16_t> stored_slice(const HuVolume& volume, std::int64_t k, bool padding_written,
                                       std::int16_t padding_value) {
  const Geometry& g = volume.geometry;
  const std::int64_t count = g.size[0] * g.size[1];
  const std::int64_t offset = k * count;
  std::vector<std::int16_t> stored(static_cast<std::size_t>(count));
  for (std::int64_t n = 0; n < count; ++n) {
    const std::int64_t index = offset + n;
    if (padding_written && volume.padding_mask[index] != 0) {
      stored[n] = padding_value;
      continue;
    }
    double hu = volume.hu_at(index);
    if (std::isnan(hu)) hu = kRescaleIntercept;  // NOTE: NaN HU has no stored value, so it is written as -1024 HU.
    const double value = std::clamp(std::round(hu) - kRescaleIntercept, -32768.0, 32767.0);
    auto stored_value = static_cast<std::int16_t>(value);
    if (padding_written && stored_value == padding_value) {
      stored_value = padding_value == 32767 ? static_cast<std::int16_t>(32766)
                                            : static_cast<std::int16_t>(stored_value + 1);
    }
    stored[n] = stored_value;
  }
  return stored;
}

std::string slice_name(std::int64_t k, std::int64_t slices) {
  const int width = std::max<int>(4, static_cast<int>(std::to_string(slices).size()));
  std::string number = std::to_string(k + 1);
  return "slice-" + std::string(static_cast<std::size_t>(width) - std::min<std::size_t>(width, number.size()), '0') +
         number + ".dcm";
}

}  // namespace

std::vector<WrittenFile> write_ct_series(const HuVolume& volume, const SeriesWriterOptions& options) {
  check_options(options);
  check_volume(volume);
  ensure_gdcm_initialised();

  const Geometry& g = volume.geometry;
  UidSource uids(options.uid_root);
  SeriesUids series;
  series.study = options.study_instance_uid.empty() ? uids.make("1") : options.study_instance_uid;
  series.series = options.series_instance_uid.empty() ? uids.make("2") : options.series_instance_uid;
  series.frame_of_reference = uids.make("3");

  const bool padding_written = options.write_padding && !volume.padding_mask.empty();
  const Vec3 normal = cross(g.axes[0], g.axes[1]);
  const double thickness = options.slice_thickness_mm > 0.0 ? options.slice_thickness_mm : g.spacing_mm[2];

  std::vector<WrittenFile> files;
  files.reserve(static_cast<std::size_t>(g.size[2]));
  for (std::int64_t k = 0; k < g.size[2]; ++k) {
    gdcm::Writer writer;
    gdcm::File& file = writer.GetFile();
    gdcm::DataSet& data_set = file.GetDataSet();
    DataSetBuilder put(data_set);

    const std::string instance = std::to_string(k + 1);
    const Vec3 position = g.index_to_lps({0.0, 0.0, static_cast<double>(k)});

    put.text(0x0008, 0x0008, gdcm::VR::CS, "ORIGINAL\\PRIMARY\\AXIAL");
    put.text(0x0008, 0x0016, gdcm::VR::UI, kCtImageStorage);
    put.text(0x0008, 0x0018, gdcm::VR::UI, uids.make("4." + instance));
    put.text(0x0008, 0x0020, gdcm::VR::DA, "");
    put.text(0x0008, 0x0030, gdcm::VR::TM, "");
    put.text(0x0008, 0x0050, gdcm::VR::SH, "");
    put.text(0x0008, 0x0060, gdcm::VR::CS, "CT");
    put.text(0x0008, 0x0070, gdcm::VR::LO, "lunglens");
    put.text(0x0008, 0x0090, gdcm::VR::PN, "");
    put.text(0x0008, 0x103E, gdcm::VR::LO, options.series_description);
    put.text(0x0010, 0x0010, gdcm::VR::PN, options.patient_name);
    put.text(0x0010, 0x0020, gdcm::VR::LO, options.patient_id);
    put.text(0x0010, 0x0030, gdcm::VR::DA, "");
    put.text(0x0010, 0x0040, gdcm::VR::CS, "");
    put.text(0x0018, 0x0050, gdcm::VR::DS, decimal_string(thickness));
    put.text(0x0018, 0x0060, gdcm::VR::DS, "");
    put.text(0x0018, 0x5100, gdcm::VR::CS, options.patient_position);
    put.text(0x0020, 0x000D, gdcm::VR::UI, series.study);
    put.text(0x0020, 0x000E, gdcm::VR::UI, series.series);
    put.text(0x0020, 0x0010, gdcm::VR::SH, "");
    put.text(0x0020, 0x0011, gdcm::VR::IS, std::to_string(options.series_number));
    put.text(0x0020, 0x0012, gdcm::VR::IS, "1");
    put.text(0x0020, 0x0013, gdcm::VR::IS, instance);
    put.text(0x0020, 0x0032, gdcm::VR::DS, decimal_strings({position[0], position[1], position[2]}));
    put.text(0x0020, 0x0037, gdcm::VR::DS,
             decimal_strings({g.axes[0][0], g.axes[0][1], g.axes[0][2], g.axes[1][0], g.axes[1][1], g.axes[1][2]}));
    put.text(0x0020, 0x0052, gdcm::VR::UI, series.frame_of_reference);
    put.text(0x0020, 0x1040, gdcm::VR::LO, "");
    put.text(0x0020, 0x1041, gdcm::VR::DS, decimal_string(dot(position, normal)));
    put.unsigned16(0x0028, 0x0002, 1);
    put.text(0x0028, 0x0004, gdcm::VR::CS, "MONOCHROME2");
    put.unsigned16(0x0028, 0x0010, static_cast<std::uint16_t>(g.size[1]));
    put.unsigned16(0x0028, 0x0011, static_cast<std::uint16_t>(g.size[0]));
    put.text(0x0028, 0x0030, gdcm::VR::DS, decimal_strings({g.spacing_mm[1], g.spacing_mm[0]}));
    put.unsigned16(0x0028, 0x0100, 16);
    put.unsigned16(0x0028, 0x0101, 16);
    put.unsigned16(0x0028, 0x0102, 15);
    put.unsigned16(0x0028, 0x0103, 1);
    if (padding_written) put.signed16(0x0028, 0x0120, options.padding_stored_value);
    put.text(0x0028, 0x1050, gdcm::VR::DS, "-600");
    put.text(0x0028, 0x1051, gdcm::VR::DS, "1500");
    put.text(0x0028, 0x1052, gdcm::VR::DS, std::to_string(kRescaleIntercept));
    put.text(0x0028, 0x1053, gdcm::VR::DS, "1");
    put.text(0x0028, 0x1054, gdcm::VR::LO, "HU");

    // Stored values as little-endian bytes (every supported target is little endian).
    const std::vector<std::int16_t> stored = stored_slice(volume, k, padding_written, options.padding_stored_value);
    put.put(0x7FE0, 0x0010, gdcm::VR::OW, reinterpret_cast<const char*>(stored.data()),
            stored.size() * sizeof(std::int16_t));

    file.GetHeader().SetDataSetTransferSyntax(gdcm::TransferSyntax::ExplicitVRLittleEndian);
    std::ostringstream out(std::ios::out | std::ios::binary);
    writer.SetStream(out);
    if (!writer.Write()) throw std::runtime_error("write_ct_series: GDCM failed to write slice " + instance);

    const std::string bytes = out.str();
    files.push_back({slice_name(k, g.size[2]), std::vector<std::uint8_t>(bytes.begin(), bytes.end())});
  }
  return files;
}

}  // namespace lunglens
