#include "report/nifti_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace lunglens {
namespace {

// NIfTI-1 codes (nifti1.h).
constexpr std::int16_t kDatatypeUint8 = 2;
constexpr std::int16_t kDatatypeInt16 = 4;
constexpr std::int16_t kDatatypeFloat32 = 16;
constexpr std::int16_t kIntentLabel = 1002;
constexpr std::int16_t kXformScannerAnatomical = 1;
constexpr std::uint8_t kUnitsMillimetre = 2;

// Little-endian writers into a byte buffer, independent of the host order.
void put_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int n = 0; n < 4; ++n) b[at + n] = static_cast<std::uint8_t>(v >> (8 * n));
}

void put_i32(std::vector<std::uint8_t>& b, std::size_t at, std::int32_t v) {
  put_u32(b, at, static_cast<std::uint32_t>(v));
}

void put_i16(std::vector<std::uint8_t>& b, std::size_t at, std::int16_t v) {
  const auto u = static_cast<std::uint16_t>(v);
  b[at] = static_cast<std::uint8_t>(u);
  b[at + 1] = static_cast<std::uint8_t>(u >> 8);
}

void put_f32(std::vector<std::uint8_t>& b, std::size_t at, double v) {
  const auto f = static_cast<float>(v);
  std::uint32_t u = 0;
  std::memcpy(&u, &f, 4);
  put_u32(b, at, u);
}

void put_text(std::vector<std::uint8_t>& b, std::size_t at, std::size_t capacity, std::string_view text) {
  const std::size_t length = std::min(text.size(), capacity - 1);  // Keep a terminating zero.
  std::memcpy(b.data() + at, text.data(), length);
}

struct Quaternion {
  double b = 0.0, c = 0.0, d = 0.0;
  double qfac = 1.0;
};

// Returns the NIfTI quaternion of a rotation (columns r[.][a] are unit
// vectors); an improper matrix gets qfac -1 and its third column negated.
Quaternion quaternion_of(double r[3][3]) {
  Quaternion q;
  const double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) -
                     r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) +
                     r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
  if (det < 0.0) {
    q.qfac = -1.0;
    for (int row = 0; row < 3; ++row) r[row][2] = -r[row][2];
  }

  double a = 0.0;
  const double trace = r[0][0] + r[1][1] + r[2][2];
  if (trace > 0.0) {
    const double s = 0.5 / std::sqrt(trace + 1.0);
    a = 0.25 / s;
    q.b = (r[2][1] - r[1][2]) * s;
    q.c = (r[0][2] - r[2][0]) * s;
    q.d = (r[1][0] - r[0][1]) * s;
  } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
    const double s = 2.0 * std::sqrt(1.0 + r[0][0] - r[1][1] - r[2][2]);
    a = (r[2][1] - r[1][2]) / s;
    q.b = 0.25 * s;
    q.c = (r[0][1] + r[1][0]) / s;
    q.d = (r[0][2] + r[2][0]) / s;
  } else if (r[1][1] > r[2][2]) {
    const double s = 2.0 * std::sqrt(1.0 + r[1][1] - r[0][0] - r[2][2]);
    a = (r[0][2] - r[2][0]) / s;
    q.b = (r[0][1] + r[1][0]) / s;
    q.c = 0.25 * s;
    q.d = (r[1][2] + r[2][1]) / s;
  } else {
    const double s = 2.0 * std::sqrt(1.0 + r[2][2] - r[0][0] - r[1][1]);
    a = (r[1][0] - r[0][1]) / s;
    q.b = (r[0][2] + r[2][0]) / s;
    q.c = (r[1][2] + r[2][1]) / s;
    q.d = 0.25 * s;
  }
  // NIfTI stores b, c, d and derives a >= 0 from them.
  if (a < 0.0) {
    q.b = -q.b;
    q.c = -q.c;
    q.d = -q.d;
  }
  return q;
}

Diagnostics check_grid(const Geometry& geometry, std::size_t values) {
  Diagnostics errors;
  for (int axis = 0; axis < 3; ++axis) {
    if (geometry.size[axis] <= 0 || geometry.size[axis] > 32767) {
      errors.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                        "NIfTI: grid size " + std::to_string(geometry.size[axis]) + " along axis " +
                            std::to_string(axis) + " is outside 1 to 32767 (NIfTI-1 dim is int16)"});
      return errors;
    }
    if (!(geometry.spacing_mm[axis] > 0.0) || !std::isfinite(geometry.spacing_mm[axis])) {
      errors.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                        "NIfTI: spacing along axis " + std::to_string(axis) + " must be positive"});
      return errors;
    }
  }
  if (!(geometry.voxel_volume_mm3() > 0.0))
    errors.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                      "NIfTI: the grid axes are degenerate (voxel volume 0 mm3)"});
  if (values != static_cast<std::size_t>(geometry.voxel_count()))
    errors.push_back({DiagnosticCode::invalid_argument, Severity::error, "",
                      "NIfTI: " + std::to_string(values) + " voxel values for a grid of " +
                          std::to_string(geometry.voxel_count()) + " voxels"});
  return errors;
}

std::vector<std::uint8_t> make_header(const Geometry& geometry, std::int16_t datatype, std::int16_t bitpix,
                                      std::string_view description) {
  std::vector<std::uint8_t> b(kNiftiVoxOffset, 0);
  put_i32(b, 0, kNiftiHeaderBytes);
  b[38] = 'r';  // regular

  // dim[8] at 40.
  put_i16(b, 40, 3);
  for (int axis = 0; axis < 3; ++axis) put_i16(b, 42 + 2 * axis, static_cast<std::int16_t>(geometry.size[axis]));
  for (int n = 4; n < 8; ++n) put_i16(b, 40 + 2 * n, 1);

  put_i16(b, 70, datatype);
  put_i16(b, 72, bitpix);

  // The RAS rotation of the image plane, used by the qform.
  const Vec3 column_i = normalized(geometry.axes[0]);
  const Vec3 column_j = normalized(geometry.axes[1]);
  Vec3 normal = normalized(cross(column_i, column_j));
  const double along_normal = dot(geometry.axes[2], normal);
  if (along_normal < 0.0) normal = {-normal[0], -normal[1], -normal[2]};
  double rotation[3][3];
  const Vec3 columns[3] = {column_i, column_j, normal};
  for (int axis = 0; axis < 3; ++axis) {
    rotation[0][axis] = -columns[axis][0];
    rotation[1][axis] = -columns[axis][1];
    rotation[2][axis] = columns[axis][2];
  }
  const Quaternion q = quaternion_of(rotation);

  // pixdim[8] at 76: qfac, then voxel sizes; pixdim[3] is the step along the normal.
  put_f32(b, 76, q.qfac);
  put_f32(b, 80, geometry.spacing_mm[0] * norm(geometry.axes[0]));
  put_f32(b, 84, geometry.spacing_mm[1] * norm(geometry.axes[1]));
  put_f32(b, 88, geometry.spacing_mm[2] * std::abs(along_normal));
  for (int n = 4; n < 8; ++n) put_f32(b, 76 + 4 * n, 1.0);

  put_f32(b, 108, kNiftiVoxOffset);
  put_f32(b, 112, 1.0);  // scl_slope
  put_f32(b, 116, 0.0);  // scl_inter
  b[123] = kUnitsMillimetre;
  put_text(b, 148, 80, description);

  const std::array<double, 16> affine = index_to_ras_matrix(geometry);
  put_i16(b, 252, kXformScannerAnatomical);  // qform_code
  put_i16(b, 254, kXformScannerAnatomical);  // sform_code
  put_f32(b, 256, q.b);
  put_f32(b, 260, q.c);
  put_f32(b, 264, q.d);
  put_f32(b, 268, affine[3]);
  put_f32(b, 272, affine[7]);
  put_f32(b, 276, affine[11]);
  for (int row = 0; row < 3; ++row)
    for (int column = 0; column < 4; ++column) put_f32(b, 280 + 16 * row + 4 * column, affine[row * 4 + column]);

  put_text(b, 344, 4, "n+1");
  return b;
}

}  // namespace

std::array<double, 16> index_to_ras_matrix(const Geometry& geometry) {
  std::array<double, 16> m = geometry.index_to_lps_matrix();
  for (int column = 0; column < 4; ++column) {
    m[column] = -m[column];
    m[4 + column] = -m[4 + column];
  }
  return m;
}

NiftiFile write_nifti_labels(const Geometry& geometry, std::span<const std::uint8_t> labels,
                             std::string_view description) {
  NiftiFile file;
  file.diagnostics = check_grid(geometry, labels.size());
  if (!file.diagnostics.empty()) return file;

  file.bytes = make_header(geometry, kDatatypeUint8, 8, description);
  put_i16(file.bytes, 68, kIntentLabel);
  const std::uint8_t max_label = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end());
  put_f32(file.bytes, 124, max_label);  // cal_max
  file.bytes.insert(file.bytes.end(), labels.begin(), labels.end());
  file.ok = true;
  return file;
}

NiftiFile write_nifti_hu(const HuVolume& volume, std::string_view description) {
  NiftiFile file;
  const bool is_int16 = volume.voxel_type == VoxelType::int16;
  file.diagnostics =
      check_grid(volume.geometry, is_int16 ? volume.int16_hu.size() : volume.float32_hu.size());
  if (!file.diagnostics.empty()) return file;

  file.bytes = make_header(volume.geometry, is_int16 ? kDatatypeInt16 : kDatatypeFloat32,
                           is_int16 ? 16 : 32, description);
  const std::size_t start = file.bytes.size();
  if (is_int16) {
    file.bytes.resize(start + 2 * volume.int16_hu.size());
    for (std::size_t n = 0; n < volume.int16_hu.size(); ++n) put_i16(file.bytes, start + 2 * n, volume.int16_hu[n]);
  } else {
    file.bytes.resize(start + 4 * volume.float32_hu.size());
    for (std::size_t n = 0; n < volume.float32_hu.size(); ++n) {
      std::uint32_t u = 0;
      std::memcpy(&u, &volume.float32_hu[n], 4);
      put_u32(file.bytes, start + 4 * n, u);
    }
  }
  file.ok = true;
  return file;
}

}  // namespace lunglens
