#include "volume/geometry.h"

#include <cmath>

namespace lunglens {

Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

Vec3 normalized(const Vec3& a) {
  const double length = norm(a);
  if (length == 0.0) return a;
  return {a[0] / length, a[1] / length, a[2] / length};
}

Vec3 Geometry::index_to_lps(const Vec3& ijk) const {
  Vec3 p = origin_mm;
  for (int axis = 0; axis < 3; ++axis) {
    const double step = ijk[axis] * spacing_mm[axis];
    for (int c = 0; c < 3; ++c) p[c] += step * axes[axis][c];
  }
  return p;
}

Vec3 Geometry::lps_to_index(const Vec3& p) const {
  // Solve M * ijk = p - origin, where column a of M is axes[a] * spacing[a].
  double m[3][3];
  for (int axis = 0; axis < 3; ++axis)
    for (int c = 0; c < 3; ++c) m[c][axis] = axes[axis][c] * spacing_mm[axis];
  const Vec3 d{p[0] - origin_mm[0], p[1] - origin_mm[1], p[2] - origin_mm[2]};

  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                     m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                     m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (det == 0.0) return {0.0, 0.0, 0.0};

  // Cramer's rule: replace column a by d.
  Vec3 result{};
  for (int axis = 0; axis < 3; ++axis) {
    double a[3][3];
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) a[r][c] = (c == axis) ? d[r] : m[r][c];
    const double det_a = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                         a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                         a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    result[axis] = det_a / det;
  }
  return result;
}

double Geometry::voxel_volume_mm3() const {
  return std::abs(dot(cross(axes[0], axes[1]), axes[2])) * spacing_mm[0] * spacing_mm[1] *
         spacing_mm[2];
}

bool Geometry::is_orthonormal(double tolerance) const {
  for (int a = 0; a < 3; ++a) {
    if (std::abs(norm(axes[a]) - 1.0) > tolerance) return false;
    for (int b = a + 1; b < 3; ++b)
      if (std::abs(dot(axes[a], axes[b])) > tolerance) return false;
  }
  return true;
}

std::array<double, 16> Geometry::index_to_lps_matrix() const {
  std::array<double, 16> m{};
  for (int r = 0; r < 3; ++r) {
    for (int axis = 0; axis < 3; ++axis) m[r * 4 + axis] = axes[axis][r] * spacing_mm[axis];
    m[r * 4 + 3] = origin_mm[r];
  }
  m[15] = 1.0;
  return m;
}

}  // namespace lunglens
