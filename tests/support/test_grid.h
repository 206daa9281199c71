// Small grids for filter tests: identity axes, origin at zero.
#pragma once

#include <cstdint>

#include "volume/geometry.h"

namespace lunglens::test {

inline Geometry grid(std::int64_t nx, std::int64_t ny, std::int64_t nz, Vec3 spacing_mm) {
  Geometry geometry;
  geometry.size = {nx, ny, nz};
  geometry.spacing_mm = spacing_mm;
  return geometry;
}

}  // namespace lunglens::test
