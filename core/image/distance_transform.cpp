#include "image/distance_transform.h"

#include <cmath>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// Scratch space for one 1D transform, reused across the lines of a chunk.
struct EnvelopeScratch {
  std::vector<float> line;
  std::vector<std::int64_t> vertex;  // Parabola apex positions of the lower envelope.
  std::vector<double> boundary;      // Where parabola q starts to be the lowest.
  std::vector<double> height;        // f + s2 * v^2 of each envelope parabola.

  explicit EnvelopeScratch(std::int64_t n) : line(n), vertex(n), boundary(n + 1), height(n) {}
};

// Replaces line[0..n) by min over p of (spacing * (q - p))^2 + line[p].
// Samples equal to kNoFeature take no part; a line without any stays so.
void transform_line(float* line, std::int64_t n, double spacing, EnvelopeScratch& scratch) {
  const double s2 = spacing * spacing;
  std::int64_t* vertex = scratch.vertex.data();
  double* boundary = scratch.boundary.data();
  float* f = scratch.line.data();
  for (std::int64_t q = 0; q < n; ++q) f[q] = line[q];

  // height[h] is f + s2 * v^2 of hull parabola h, kept so that the search
  // below computes it once per parabola instead of once per comparison.
  double* height = scratch.height.data();
  std::int64_t hull = -1;  // Index of the last parabola in the envelope.
  for (std::int64_t q = 0; q < n; ++q) {
    if (f[q] == kNoFeature) continue;
    const double fq = f[q] + s2 * double(q) * double(q);
    double start = -std::numeric_limits<double>::infinity();
    while (hull >= 0) {
      const std::int64_t v = vertex[hull];
      start = (fq - height[hull]) / (2.0 * s2 * double(q - v));
      if (start > boundary[hull]) break;
      --hull;
    }
    ++hull;
    vertex[hull] = q;
    height[hull] = fq;
    boundary[hull] = hull == 0 ? -std::numeric_limits<double>::infinity() : start;
  }
  if (hull < 0) return;

  boundary[hull + 1] = std::numeric_limits<double>::infinity();
  std::int64_t h = 0;
  for (std::int64_t q = 0; q < n; ++q) {
    while (boundary[h + 1] < double(q)) ++h;
    const double d = double(q - vertex[h]);
    line[q] = static_cast<float>(s2 * d * d + f[vertex[h]]);
  }
}

void transform_along_i(std::vector<float>& field, const Geometry& geometry) {
  const auto& n = geometry.size;
  parallel_for(0, n[1] * n[2], [&](std::int64_t begin, std::int64_t end) {
    EnvelopeScratch scratch(n[0]);
    for (std::int64_t row = begin; row < end; ++row)
      transform_line(field.data() + row * n[0], n[0], geometry.spacing_mm[0], scratch);
  }, 64);
}

void transform_along_j(std::vector<float>& field, const Geometry& geometry) {
  const auto& n = geometry.size;
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    EnvelopeScratch scratch(n[1]);
    std::vector<float> column(n[1]);
    for (std::int64_t k = begin; k < end; ++k) {
      float* slice = field.data() + k * n[0] * n[1];
      for (std::int64_t i = 0; i < n[0]; ++i) {
        for (std::int64_t j = 0; j < n[1]; ++j) column[j] = slice[i + j * n[0]];
        transform_line(column.data(), n[1], geometry.spacing_mm[1], scratch);
        for (std::int64_t j = 0; j < n[1]; ++j) slice[i + j * n[0]] = column[j];
      }
    }
  });
}

void transform_along_k(std::vector<float>& field, const Geometry& geometry) {
  const auto& n = geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  parallel_for(0, n[1], [&](std::int64_t begin, std::int64_t end) {
    EnvelopeScratch scratch(n[2]);
    std::vector<float> column(n[2]);
    for (std::int64_t j = begin; j < end; ++j) {
      for (std::int64_t i = 0; i < n[0]; ++i) {
        float* first = field.data() + i + j * n[0];
        for (std::int64_t k = 0; k < n[2]; ++k) column[k] = first[k * slice_size];
        transform_line(column.data(), n[2], geometry.spacing_mm[2], scratch);
        for (std::int64_t k = 0; k < n[2]; ++k) first[k * slice_size] = column[k];
      }
    }
  });
}

}  // namespace

std::vector<float> squared_distance_mm2(const Mask& features, const Geometry& geometry, FilterScope scope) {
  std::vector<float> field(features.size());
  parallel_for(0, static_cast<std::int64_t>(features.size()), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t v = begin; v < end; ++v) field[v] = features[v] ? 0.0f : kNoFeature;
  }, 1 << 16);

  transform_along_i(field, geometry);
  transform_along_j(field, geometry);
  if (scope == FilterScope::volume && geometry.size[2] > 1) transform_along_k(field, geometry);
  return field;
}

std::vector<float> distance_inside_mm(const Mask& mask, const Geometry& geometry, FilterScope scope) {
  Mask background(mask.size());
  map_voxels(background, [](std::uint8_t m) { return m == 0; }, mask);
  std::vector<float> field = squared_distance_mm2(background, geometry, scope);
  for (float& value : field) value = std::sqrt(value);
  return field;
}

}  // namespace lunglens
