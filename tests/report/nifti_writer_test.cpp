#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include "report/nifti_writer.h"

using namespace lunglens;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Reads the header fields back from the bytes, independently of the writer.
struct ParsedHeader {
  std::int32_t sizeof_hdr = 0;
  std::int16_t dim[8]{};
  std::int16_t intent_code = 0, datatype = 0, bitpix = 0;
  float pixdim[8]{};
  float vox_offset = 0, scl_slope = 0, scl_inter = 0;
  std::uint8_t xyzt_units = 0;
  std::int16_t qform_code = 0, sform_code = 0;
  float quatern[3]{}, qoffset[3]{};
  float srow[3][4]{};
  char magic[4]{};
};

template <class T>
T read_le(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  std::uint8_t raw[sizeof(T)];
  for (std::size_t n = 0; n < sizeof(T); ++n) raw[n] = bytes.at(at + n);  // Little-endian host assumed.
  T value;
  std::memcpy(&value, raw, sizeof(T));
  return value;
}

ParsedHeader parse_header(const std::vector<std::uint8_t>& bytes) {
  ParsedHeader h;
  h.sizeof_hdr = read_le<std::int32_t>(bytes, 0);
  for (int n = 0; n < 8; ++n) h.dim[n] = read_le<std::int16_t>(bytes, 40 + 2 * n);
  h.intent_code = read_le<std::int16_t>(bytes, 68);
  h.datatype = read_le<std::int16_t>(bytes, 70);
  h.bitpix = read_le<std::int16_t>(bytes, 72);
  for (int n = 0; n < 8; ++n) h.pixdim[n] = read_le<float>(bytes, 76 + 4 * n);
  h.vox_offset = read_le<float>(bytes, 108);
  h.scl_slope = read_le<float>(bytes, 112);
  h.scl_inter = read_le<float>(bytes, 116);
  h.xyzt_units = bytes.at(123);
  h.qform_code = read_le<std::int16_t>(bytes, 252);
  h.sform_code = read_le<std::int16_t>(bytes, 254);
  for (int n = 0; n < 3; ++n) h.quatern[n] = read_le<float>(bytes, 256 + 4 * n);
  for (int n = 0; n < 3; ++n) h.qoffset[n] = read_le<float>(bytes, 268 + 4 * n);
  for (int row = 0; row < 3; ++row)
    for (int column = 0; column < 4; ++column) h.srow[row][column] = read_le<float>(bytes, 280 + 16 * row + 4 * column);
  for (int n = 0; n < 4; ++n) h.magic[n] = static_cast<char>(bytes.at(344 + n));
  return h;
}

Vec3 sform_ras(const ParsedHeader& h, double i, double j, double k) {
  Vec3 ras{};
  for (int row = 0; row < 3; ++row) ras[row] = h.srow[row][0] * i + h.srow[row][1] * j + h.srow[row][2] * k + h.srow[row][3];
  return ras;
}

// The qform mapping of the NIfTI-1 standard (method 2 of nifti1.h).
Vec3 qform_ras(const ParsedHeader& h, double i, double j, double k) {
  const double b = h.quatern[0], c = h.quatern[1], d = h.quatern[2];
  const double a = std::sqrt(std::max(0.0, 1.0 - b * b - c * c - d * d));
  const double r[3][3] = {{a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                          {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                          {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
  const double scaled[3] = {i * h.pixdim[1], j * h.pixdim[2], k * h.pixdim[3] * h.pixdim[0]};
  Vec3 ras{};
  for (int row = 0; row < 3; ++row)
    ras[row] = r[row][0] * scaled[0] + r[row][1] * scaled[1] + r[row][2] * scaled[2] + h.qoffset[row];
  return ras;
}

Vec3 lps_to_ras(const Vec3& lps) { return {-lps[0], -lps[1], lps[2]}; }

Geometry oblique_geometry() {
  // Rotated 30 degrees about z and 10 degrees about x, like a tilted oblique acquisition.
  Geometry g;
  g.size = {5, 4, 3};
  g.spacing_mm = {0.7, 0.8, 2.5};
  g.origin_mm = {-120.5, 80.25, -310.0};
  const double z = 30.0 * kPi / 180.0, x = 10.0 * kPi / 180.0;
  const Vec3 u{std::cos(z), std::sin(z), 0.0};
  const Vec3 v{-std::sin(z) * std::cos(x), std::cos(z) * std::cos(x), std::sin(x)};
  g.axes = {u, v, cross(u, v)};
  return g;
}

Geometry flipped_geometry() {
  // Prone, feet first: i towards right, j towards anterior, k towards feet.
  Geometry g;
  g.size = {6, 5, 4};
  g.spacing_mm = {0.5, 0.6, 1.25};
  g.origin_mm = {200.0, 150.0, 90.0};
  g.axes = {Vec3{-1, 0, 0}, Vec3{0, -1, 0}, Vec3{0, 0, -1}};
  return g;
}

Geometry sheared_geometry() {
  Geometry g;
  g.size = {4, 4, 6};
  g.spacing_mm = {0.75, 0.75, 3.0};
  g.origin_mm = {-50.0, -30.0, 100.0};
  const double tilt = 20.0 * kPi / 180.0;
  g.axes[2] = {0.0, std::sin(tilt), std::cos(tilt)};
  return g;
}

void check_sform(const ParsedHeader& h, const Geometry& g) {
  for (std::int64_t k = 0; k < g.size[2]; k += g.size[2] - 1)
    for (std::int64_t j = 0; j < g.size[1]; j += g.size[1] - 1)
      for (std::int64_t i = 0; i < g.size[0]; i += g.size[0] - 1) {
        const Vec3 expected = lps_to_ras(g.index_to_lps({double(i), double(j), double(k)}));
        const Vec3 actual = sform_ras(h, double(i), double(j), double(k));
        CAPTURE(i);
        CAPTURE(j);
        CAPTURE(k);
        for (int c = 0; c < 3; ++c) CHECK(actual[c] == doctest::Approx(expected[c]).epsilon(1e-6));
      }
}

void check_qform_matches_sform(const ParsedHeader& h, const Geometry& g) {
  for (std::int64_t k = 0; k < g.size[2]; ++k)
    for (std::int64_t i = 0; i < g.size[0]; i += g.size[0] - 1) {
      const Vec3 from_s = sform_ras(h, double(i), 2.0, double(k));
      const Vec3 from_q = qform_ras(h, double(i), 2.0, double(k));
      for (int c = 0; c < 3; ++c) CHECK(from_q[c] == doctest::Approx(from_s[c]).epsilon(1e-5));
    }
}

}  // namespace

TEST_SUITE("report") {

TEST_CASE("nifti label header fields") {
  const Geometry g = oblique_geometry();
  std::vector<std::uint8_t> labels(static_cast<std::size_t>(g.voxel_count()), 0);
  labels[7] = 2;
  const NiftiFile file = write_nifti_labels(g, labels);
  REQUIRE(file.ok);
  REQUIRE(file.bytes.size() == 352 + labels.size());

  const ParsedHeader h = parse_header(file.bytes);
  CHECK(h.sizeof_hdr == 348);
  CHECK(h.dim[0] == 3);
  CHECK(h.dim[1] == 5);
  CHECK(h.dim[2] == 4);
  CHECK(h.dim[3] == 3);
  CHECK(h.dim[4] == 1);
  CHECK(h.datatype == 2);
  CHECK(h.bitpix == 8);
  CHECK(h.intent_code == 1002);
  CHECK(h.pixdim[1] == doctest::Approx(0.7));
  CHECK(h.pixdim[2] == doctest::Approx(0.8));
  CHECK(h.pixdim[3] == doctest::Approx(2.5));
  CHECK(h.vox_offset == 352.0f);
  CHECK(h.xyzt_units == 2);
  CHECK(h.qform_code == 1);
  CHECK(h.sform_code == 1);
  CHECK(std::string(h.magic, 3) == "n+1");
  CHECK(h.magic[3] == '\0');
  CHECK(file.bytes[352 + 7] == 2);
  CHECK(file.bytes[348] == 0);
}

TEST_CASE("nifti oblique affine") {
  const Geometry g = oblique_geometry();
  const NiftiFile file = write_nifti_labels(g, std::vector<std::uint8_t>(60, 1));
  REQUIRE(file.ok);
  const ParsedHeader h = parse_header(file.bytes);
  check_sform(h, g);
  check_qform_matches_sform(h, g);
  CHECK(h.pixdim[0] == 1.0f);
}

TEST_CASE("nifti flipped affine") {
  const Geometry g = flipped_geometry();
  HuVolume volume;
  volume.geometry = g;
  volume.int16_hu.assign(static_cast<std::size_t>(g.voxel_count()), -1000);
  volume.int16_hu[1] = -1024;
  volume.int16_hu[2] = 3071;
  const NiftiFile file = write_nifti_hu(volume);
  REQUIRE(file.ok);
  const ParsedHeader h = parse_header(file.bytes);
  CHECK(h.datatype == 4);
  CHECK(h.bitpix == 16);
  CHECK(h.scl_slope == 1.0f);
  CHECK(h.scl_inter == 0.0f);
  // LPS axes (-1,0,0), (0,-1,0), (0,0,-1) are RAS (+1,0,0), (0,+1,0), (0,0,-1): improper, so qfac -1.
  CHECK(h.pixdim[0] == -1.0f);
  CHECK(h.srow[0][0] == 0.5f);
  CHECK(h.srow[1][1] == 0.6f);
  CHECK(h.srow[2][2] == -1.25f);
  CHECK(h.srow[0][3] == -200.0f);
  CHECK(h.srow[1][3] == -150.0f);
  CHECK(h.srow[2][3] == 90.0f);
  check_sform(h, g);
  check_qform_matches_sform(h, g);
  CHECK(read_le<std::int16_t>(file.bytes, 352 + 2) == -1024);
  CHECK(read_le<std::int16_t>(file.bytes, 352 + 4) == 3071);
}

TEST_CASE("nifti sheared affine") {
  const Geometry g = sheared_geometry();
  HuVolume volume;
  volume.geometry = g;
  volume.voxel_type = VoxelType::float32;
  volume.float32_hu.assign(static_cast<std::size_t>(g.voxel_count()), -712.5f);
  const NiftiFile file = write_nifti_hu(volume);
  REQUIRE(file.ok);
  const ParsedHeader h = parse_header(file.bytes);
  CHECK(h.datatype == 16);
  CHECK(h.bitpix == 32);
  check_sform(h, g);

  // The qform keeps each slice's height along the normal but not its shift along y.
  const double tilt = 20.0 * kPi / 180.0;
  CHECK(h.pixdim[3] == doctest::Approx(3.0 * std::cos(tilt)));
  const Vec3 q = qform_ras(h, 0.0, 0.0, 5.0);
  const Vec3 s = sform_ras(h, 0.0, 0.0, 5.0);
  CHECK(q[2] == doctest::Approx(s[2]));
  CHECK(q[0] == doctest::Approx(s[0]));
  CHECK(std::abs(q[1] - s[1]) == doctest::Approx(5 * 3.0 * std::sin(tilt)));
  CHECK(read_le<float>(file.bytes, 352) == -712.5f);
}

TEST_CASE("nifti rejects bad input") {
  const Geometry g = oblique_geometry();
  const NiftiFile short_labels = write_nifti_labels(g, std::vector<std::uint8_t>(59, 0));
  CHECK_FALSE(short_labels.ok);
  CHECK(short_labels.bytes.empty());
  REQUIRE(short_labels.diagnostics.size() == 1);
  CHECK(short_labels.diagnostics[0].message.find("59 voxel values") != std::string::npos);

  Geometry huge = g;
  huge.size[0] = 40000;
  CHECK_FALSE(write_nifti_labels(huge, std::vector<std::uint8_t>(1, 0)).ok);
}

}  // TEST_SUITE
