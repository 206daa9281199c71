#include "phantom/phantom_random.h"

namespace lunglens::phantom {
namespace {

float lattice_value(std::int32_t x, std::int32_t y, std::int32_t z, std::uint32_t seed) {
  return static_cast<float>(hash_lattice(x, y, z, seed) >> 8) * (2.0f / 16777215.0f) - 1.0f;
}

float smoothstep(float t) { return t * t * (3.0f - 2.0f * t); }

float lerp(float a, float b, float t) { return a + (b - a) * t; }

}  // namespace

float value_noise(double x, double y, double z, std::uint32_t seed) {
  const double fx = std::floor(x);
  const double fy = std::floor(y);
  const double fz = std::floor(z);
  const auto ix = static_cast<std::int32_t>(fx);
  const auto iy = static_cast<std::int32_t>(fy);
  const auto iz = static_cast<std::int32_t>(fz);
  const float tx = smoothstep(static_cast<float>(x - fx));
  const float ty = smoothstep(static_cast<float>(y - fy));
  const float tz = smoothstep(static_cast<float>(z - fz));

  float plane[2];
  for (int dz = 0; dz < 2; ++dz) {
    const float v00 = lattice_value(ix, iy, iz + dz, seed);
    const float v10 = lattice_value(ix + 1, iy, iz + dz, seed);
    const float v01 = lattice_value(ix, iy + 1, iz + dz, seed);
    const float v11 = lattice_value(ix + 1, iy + 1, iz + dz, seed);
    plane[dz] = lerp(lerp(v00, v10, tx), lerp(v01, v11, tx), ty);
  }
  return lerp(plane[0], plane[1], tz);
}

float texture_noise(double x_mm, double y_mm, double z_mm, double cell_mm, std::uint32_t seed) {
  const double coarse = 1.0 / cell_mm;
  const double fine = 2.0 / cell_mm;
  const float a = value_noise(x_mm * coarse, y_mm * coarse, z_mm * coarse, seed);
  const float b = value_noise(x_mm * fine, y_mm * fine, z_mm * fine, seed + 7919u);
  return (2.0f * a + b) / 3.0f;
}

}  // namespace lunglens::phantom
