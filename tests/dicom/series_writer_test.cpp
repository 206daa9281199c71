#include <doctest/doctest.h>

#include <cstring>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gdcmDataSet.h>
#include <gdcmFile.h>
#include <gdcmReader.h>
#include <gdcmTag.h>
#include <gdcmTransferSyntax.h>

#include "dicom/series_loader.h"
#include "dicom/series_scan.h"
#include "dicom/series_writer.h"
#include "phantom/chest_phantom.h"

using namespace lunglens;

namespace {

// A 4 x 3 x 2 volume with a distinct HU per voxel on an unsheared grid whose
// i axis runs towards the patient's right, as in an FFS scan.
HuVolume make_small_volume() {
  HuVolume volume;
  volume.geometry.size = {4, 3, 2};
  volume.geometry.spacing_mm = {0.7, 0.8, 2.5};
  volume.geometry.origin_mm = {120.5, -80.25, -300.0};
  volume.geometry.axes = {{{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int n = 0; n < 24; ++n) volume.int16_hu.push_back(static_cast<std::int16_t>(-1000 + 100 * n));
  return volume;
}

// Parses one written file with GDCM.
gdcm::DataSet read_back(const WrittenFile& file, std::string* transfer_syntax = nullptr) {
  std::istringstream in(std::string(file.bytes.begin(), file.bytes.end()), std::ios::binary);
  gdcm::Reader reader;
  reader.SetStream(in);
  REQUIRE(reader.Read());
  if (transfer_syntax) *transfer_syntax = reader.GetFile().GetHeader().GetDataSetTransferSyntax().GetString();
  return reader.GetFile().GetDataSet();
}

// Returns the value of a text element without trailing padding.
std::string text(const gdcm::DataSet& data_set, std::uint16_t group, std::uint16_t element) {
  const gdcm::Tag tag(group, element);
  if (!data_set.FindDataElement(tag)) return "<missing>";
  const gdcm::ByteValue* value = data_set.GetDataElement(tag).GetByteValue();
  if (!value) return "";
  std::string s(value->GetPointer(), value->GetLength());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

std::int32_t binary16(const gdcm::DataSet& data_set, std::uint16_t group, std::uint16_t element, bool is_signed) {
  const gdcm::ByteValue* value = data_set.GetDataElement(gdcm::Tag(group, element)).GetByteValue();
  REQUIRE(value != nullptr);
  REQUIRE(value->GetLength() == 2);
  std::uint16_t bits = 0;
  std::memcpy(&bits, value->GetPointer(), 2);
  return is_signed ? static_cast<std::int16_t>(bits) : bits;
}

std::vector<std::int16_t> pixels(const gdcm::DataSet& data_set) {
  const gdcm::ByteValue* value = data_set.GetDataElement(gdcm::Tag(0x7FE0, 0x0010)).GetByteValue();
  REQUIRE(value != nullptr);
  std::vector<std::int16_t> out(value->GetLength() / 2);
  std::memcpy(out.data(), value->GetPointer(), out.size() * 2);
  return out;
}

struct LoadedSeries {
  ScanResult scan;
  LoadResult load;
};

LoadedSeries scan_and_load(const std::vector<WrittenFile>& written) {
  std::vector<InputFile> files;
  for (const WrittenFile& file : written) files.push_back({file.name, file.bytes});
  LoadedSeries loaded;
  loaded.scan = scan_files(files);
  REQUIRE(loaded.scan.series.size() == 1);
  loaded.load = load_series(loaded.scan, 0, files);
  return loaded;
}

}  // namespace

TEST_SUITE("dicom writer") {

TEST_CASE("writer tags and pixels") {
  HuVolume volume = make_small_volume();
  volume.padding_mask.assign(24, 0);
  volume.padding_mask[5] = 1;
  SeriesWriterOptions options;
  options.patient_position = "FFS";
  const std::vector<WrittenFile> files = write_ct_series(volume, options);
  REQUIRE(files.size() == 2);
  CHECK(files[0].name == "slice-0001.dcm");
  CHECK(files[1].name == "slice-0002.dcm");

  std::string transfer_syntax;
  const gdcm::DataSet first = read_back(files[0], &transfer_syntax);
  CHECK(transfer_syntax == "1.2.840.10008.1.2.1");
  CHECK(text(first, 0x0008, 0x0016) == "1.2.840.10008.5.1.4.1.1.2");
  CHECK(text(first, 0x0008, 0x0060) == "CT");
  CHECK(text(first, 0x0008, 0x0008) == "ORIGINAL\\PRIMARY\\AXIAL");
  CHECK(text(first, 0x0018, 0x5100) == "FFS");
  CHECK(text(first, 0x0018, 0x0050) == "2.5");
  CHECK(text(first, 0x0020, 0x0013) == "1");
  CHECK(text(first, 0x0020, 0x0037) == "-1\\0\\0\\0\\1\\0");
  CHECK(text(first, 0x0020, 0x0032) == "120.5\\-80.25\\-300");
  CHECK(text(first, 0x0028, 0x0030) == "0.8\\0.7");
  CHECK(text(first, 0x0028, 0x1052) == "-1024");
  CHECK(text(first, 0x0028, 0x1053) == "1");
  CHECK(text(first, 0x0028, 0x1054) == "HU");
  CHECK(binary16(first, 0x0028, 0x0010, false) == 3);
  CHECK(binary16(first, 0x0028, 0x0011, false) == 4);
  CHECK(binary16(first, 0x0028, 0x0100, false) == 16);
  CHECK(binary16(first, 0x0028, 0x0101, false) == 16);
  CHECK(binary16(first, 0x0028, 0x0102, false) == 15);
  CHECK(binary16(first, 0x0028, 0x0103, false) == 1);
  CHECK(binary16(first, 0x0028, 0x0120, true) == -2000);

  const gdcm::DataSet second = read_back(files[1]);
  CHECK(text(second, 0x0020, 0x0013) == "2");
  CHECK(text(second, 0x0020, 0x0032) == "120.5\\-80.25\\-297.5");
  CHECK(text(second, 0x0008, 0x0018) != text(first, 0x0008, 0x0018));
  CHECK(text(second, 0x0020, 0x000E) == text(first, 0x0020, 0x000E));

  // Stored = HU + 1024 in rows of 4 columns. Voxel 5 is padding.
  const std::vector<std::int16_t> stored = pixels(first);
  REQUIRE(stored.size() == 12);
  for (int n = 0; n < 12; ++n) {
    if (n == 5) {
      CHECK(stored[n] == -2000);
    } else {
      CHECK(stored[n] == volume.int16_hu[n] + 1024);
    }
  }
  const std::vector<std::int16_t> stored_second = pixels(second);
  REQUIRE(stored_second.size() == 12);
  CHECK(stored_second[11] == volume.int16_hu[23] + 1024);
}

TEST_CASE("writer clamps out-of-range HU") {
  HuVolume volume = make_small_volume();
  volume.voxel_type = VoxelType::float32;
  volume.float32_hu.assign(24, 0.0f);
  volume.int16_hu.clear();
  volume.float32_hu[0] = 1.0e6f;     // Above the int16 range after the intercept.
  volume.float32_hu[1] = -1.0e6f;    // Below it.
  volume.float32_hu[2] = -3024.0f;   // Stored -2000: the padding value, but not padding.
  volume.float32_hu[3] = 12.6f;      // Rounded.
  volume.padding_mask.assign(24, 0);
  const std::vector<std::int16_t> stored = pixels(read_back(write_ct_series(volume)[0]));
  CHECK(stored[0] == 32767);
  CHECK(stored[1] == -32768);
  CHECK(stored[2] == -1999);
  CHECK(stored[3] == 13 + 1024);
}

TEST_CASE("writer without padding mask") {
  const HuVolume volume = make_small_volume();
  const gdcm::DataSet data_set = read_back(write_ct_series(volume)[0]);
  CHECK_FALSE(data_set.FindDataElement(gdcm::Tag(0x0028, 0x0120)));
}

TEST_CASE("writer rejects invalid input") {
  CHECK_THROWS_AS(write_ct_series(HuVolume{}), std::invalid_argument);

  HuVolume short_buffer = make_small_volume();
  short_buffer.int16_hu.pop_back();
  CHECK_THROWS_AS(write_ct_series(short_buffer), std::invalid_argument);

  HuVolume bad_mask = make_small_volume();
  bad_mask.padding_mask.assign(3, 0);
  CHECK_THROWS_AS(write_ct_series(bad_mask), std::invalid_argument);

  HuVolume skewed = make_small_volume();
  skewed.geometry.axes[1] = {0.5, 0.8660254, 0.0};
  CHECK_THROWS_AS(write_ct_series(skewed), std::invalid_argument);

  HuVolume in_plane = make_small_volume();
  in_plane.geometry.axes[2] = {0.0, 1.0, 0.0};
  CHECK_THROWS_AS(write_ct_series(in_plane), std::invalid_argument);

  HuVolume zero_spacing = make_small_volume();
  zero_spacing.geometry.spacing_mm[2] = 0.0;
  CHECK_THROWS_AS(write_ct_series(zero_spacing), std::invalid_argument);

  SeriesWriterOptions position;
  position.patient_position = "SUPINE";
  CHECK_THROWS_AS(write_ct_series(make_small_volume(), position), std::invalid_argument);

  SeriesWriterOptions root;
  root.uid_root = "1.2.abc";
  CHECK_THROWS_AS(write_ct_series(make_small_volume(), root), std::invalid_argument);

  SeriesWriterOptions name;
  name.patient_name = "A\\B";
  CHECK_THROWS_AS(write_ct_series(make_small_volume(), name), std::invalid_argument);
}

TEST_CASE("writer UID root is deterministic") {
  SeriesWriterOptions options;
  options.uid_root = "1.2.826.0.1.3680043.9.7";
  const std::vector<WrittenFile> a = write_ct_series(make_small_volume(), options);
  const std::vector<WrittenFile> b = write_ct_series(make_small_volume(), options);
  REQUIRE(a.size() == b.size());
  for (std::size_t n = 0; n < a.size(); ++n) CHECK(a[n].bytes == b[n].bytes);
  const gdcm::DataSet data_set = read_back(a[1]);
  CHECK(text(data_set, 0x0020, 0x000D) == "1.2.826.0.1.3680043.9.7.1");
  CHECK(text(data_set, 0x0020, 0x000E) == "1.2.826.0.1.3680043.9.7.2");
  CHECK(text(data_set, 0x0008, 0x0018) == "1.2.826.0.1.3680043.9.7.4.2");
}

TEST_CASE("writer generated UIDs are unique") {
  const std::vector<WrittenFile> a = write_ct_series(make_small_volume());
  const std::vector<WrittenFile> b = write_ct_series(make_small_volume());
  std::set<std::string> uids;
  for (const auto* files : {&a, &b})
    for (const WrittenFile& file : *files) uids.insert(text(read_back(file), 0x0008, 0x0018));
  CHECK(uids.size() == 4);
  CHECK(text(read_back(a[0]), 0x0020, 0x000E) != text(read_back(b[0]), 0x0020, 0x000E));
}

TEST_CASE("phantom round trip through the loader") {
  for (const PatientPosition position : {PatientPosition::hfs, PatientPosition::ffs, PatientPosition::hfp}) {
    CAPTURE(patient_position_code(position));
    PhantomOptions phantom_options;
    phantom_options.matrix = 96;
    phantom_options.pixel_spacing_mm = 4.0;
    phantom_options.slice_thickness_mm = 10.0;
    phantom_options.position = position;
    const Phantom phantom = generate_chest_phantom(phantom_options);

    SeriesWriterOptions writer_options;
    writer_options.patient_position = patient_position_code(position);
    const LoadedSeries loaded = scan_and_load(write_ct_series(phantom.volume, writer_options));
    REQUIRE(loaded.load.ok);

    const HuVolume& volume = loaded.load.volume;
    const Geometry& expected = phantom.volume.geometry;
    CHECK(volume.geometry.size == expected.size);
    for (int a = 0; a < 3; ++a) {
      CHECK(volume.geometry.spacing_mm[a] == doctest::Approx(expected.spacing_mm[a]));
      CHECK(volume.geometry.origin_mm[a] == doctest::Approx(expected.origin_mm[a]));
      for (int c = 0; c < 3; ++c) CHECK(volume.geometry.axes[a][c] == doctest::Approx(expected.axes[a][c]));
    }
    CHECK(volume.voxel_type == VoxelType::int16);
    CHECK(volume.int16_hu == phantom.volume.int16_hu);
    CHECK(volume.padding_mask == phantom.volume.padding_mask);
    CHECK(loaded.scan.headers[0].patient_position == patient_position_code(position));
  }
}

}  // TEST_SUITE
