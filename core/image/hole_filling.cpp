#include "image/hole_filling.h"

#include <algorithm>
#include <vector>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// Floods the background of `out` (foreground 1, background 0) from the
// border voxels of the volume (6-connected), marking what it reaches with 2.
// A stack-based flood touches each voxel a few times and needs no label
// volume, unlike labelling every background component.
void flood_from_border(Mask& out, const Geometry& geometry, std::vector<std::int64_t>& stack) {
  const auto& n = geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  stack.clear();
  auto push = [&](std::int64_t v) {
    if (out[v] != 0) return;
    out[v] = 2;
    stack.push_back(v);
  };

  const std::int64_t first_slice = 0, last_slice = n[2] - 1;
  for (std::int64_t k = first_slice; k <= last_slice; ++k) {
    const bool end_slice = k == first_slice || k == last_slice;
    for (std::int64_t j = 0; j < n[1]; ++j) {
      const bool edge_row = end_slice || j == 0 || j == n[1] - 1;
      const std::int64_t step = edge_row ? 1 : std::max<std::int64_t>(1, n[0] - 1);
      for (std::int64_t i = 0; i < n[0]; i += step) push(geometry.linear_index(i, j, k));
    }
  }

  while (!stack.empty()) {
    const std::int64_t v = stack.back();
    stack.pop_back();
    const std::int64_t i = v % n[0];
    const std::int64_t j = (v / n[0]) % n[1];
    const std::int64_t k = v / slice_size;
    if (i > 0) push(v - 1);
    if (i + 1 < n[0]) push(v + 1);
    if (j > 0) push(v - n[0]);
    if (j + 1 < n[1]) push(v + n[0]);
    if (k > first_slice) push(v - slice_size);
    if (k < last_slice) push(v + slice_size);
  }
}

// Floods the background of slice k of `out` (4-connected) from the slice
// border, marking what it reaches with 2. Scanline fill: each popped seed is
// widened to its whole background run, and the rows above and below get one
// seed per background run under it, so each pixel is visited a few times and
// no division is needed.
void flood_slice_from_border(Mask& out, const Geometry& geometry, std::int64_t k,
                             std::vector<std::pair<std::int64_t, std::int64_t>>& stack) {
  const std::int64_t nx = geometry.size[0], ny = geometry.size[1];
  std::uint8_t* slice = out.data() + k * nx * ny;
  auto at = [&](std::int64_t i, std::int64_t j) -> std::uint8_t& { return slice[j * nx + i]; };
  stack.clear();

  // Seeds one pixel per background run of row j within [first, last].
  auto seed_row = [&](std::int64_t j, std::int64_t first, std::int64_t last) {
    for (std::int64_t i = first; i <= last; ++i) {
      if (at(i, j) != 0) continue;
      stack.emplace_back(i, j);
      while (i <= last && at(i, j) == 0) ++i;
    }
  };
  seed_row(0, 0, nx - 1);
  seed_row(ny - 1, 0, nx - 1);
  for (std::int64_t j = 1; j + 1 < ny; ++j) {
    if (at(0, j) == 0) stack.emplace_back(0, j);
    if (at(nx - 1, j) == 0) stack.emplace_back(nx - 1, j);
  }

  while (!stack.empty()) {
    const auto [seed_i, j] = stack.back();
    stack.pop_back();
    if (at(seed_i, j) != 0) continue;
    std::int64_t first = seed_i, last = seed_i;
    while (first > 0 && at(first - 1, j) == 0) --first;
    while (last + 1 < nx && at(last + 1, j) == 0) ++last;
    std::fill(slice + j * nx + first, slice + j * nx + last + 1, 2);
    if (j > 0) seed_row(j - 1, first, last);
    if (j + 1 < ny) seed_row(j + 1, first, last);
  }
}

}  // namespace

Mask fill_holes(const Mask& mask, const Geometry& geometry, FilterScope scope) {
  const auto& n = geometry.size;
  Mask out(mask.size());
  map_voxels(out, [](std::uint8_t m) { return m != 0; }, mask);

  // Background reached from the border becomes 2; background left at 0 is a hole.
  if (scope == FilterScope::volume) {
    std::vector<std::int64_t> stack;
    flood_from_border(out, geometry, stack);
  } else {
    parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
      std::vector<std::pair<std::int64_t, std::int64_t>> stack;
      for (std::int64_t k = begin; k < end; ++k) flood_slice_from_border(out, geometry, k, stack);
    });
  }

  map_voxels(out, [](std::uint8_t value) { return value != 2; }, out);
  return out;
}

}  // namespace lunglens
