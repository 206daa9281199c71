// Voxel grid geometry in DICOM patient coordinates (LPS: +x towards the
// patient's left, +y towards posterior, +z towards head), in millimetres.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lunglens {

using Vec3 = std::array<double, 3>;

struct Geometry {
  // Voxel counts along the index axes i (columns), j (rows), k (slices).
  std::array<std::int64_t, 3> size{0, 0, 0};

  // Distance between neighbouring voxel centres along i, j, k, in mm. For a
  // DICOM slice, i spacing is the second PixelSpacing value (column spacing)
  // and j spacing the first (row spacing).
  Vec3 spacing_mm{1.0, 1.0, 1.0};

  // LPS position of the centre of voxel (0, 0, 0), in mm.
  Vec3 origin_mm{0.0, 0.0, 0.0};

  // axes[a] is the LPS unit vector along index axis a. axes[0] and axes[1]
  // come from ImageOrientationPatient. axes[2] follows the slice positions: it
  // is orthogonal to the other two unless the series has gantry tilt, in which
  // case the shear is carried here rather than resampled.
  std::array<Vec3, 3> axes{{{1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}};

  std::int64_t voxel_count() const { return size[0] * size[1] * size[2]; }

  std::int64_t linear_index(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return i + size[0] * (j + size[1] * k);
  }

  // Returns the LPS position (mm) of continuous index (i, j, k).
  Vec3 index_to_lps(const Vec3& ijk) const;

  // Returns the continuous index of LPS position p (mm). Works for sheared axes.
  Vec3 lps_to_index(const Vec3& p) const;

  // Returns the volume of one voxel in mm^3 (parallelepiped, so correct with shear).
  double voxel_volume_mm3() const;

  // Returns true when the three axes are orthonormal within tolerance
  // (no gantry tilt shear).
  bool is_orthonormal(double tolerance = 1e-4) const;

  // Returns the 4x4 matrix mapping (i, j, k, 1) to LPS mm, row-major.
  std::array<double, 16> index_to_lps_matrix() const;
};

Vec3 cross(const Vec3& a, const Vec3& b);
double dot(const Vec3& a, const Vec3& b);
double norm(const Vec3& a);
Vec3 normalized(const Vec3& a);

}  // namespace lunglens
