#include "image/hole_filling.h"

#include <algorithm>
#include <vector>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// Floods the background of `out` (foreground 1, background 0) from the
// border voxels of the sub-grid `first_slice`..`last_slice`, marking what it
// reaches with 2. A stack-based flood touches each voxel a few times and
// needs no label volume, unlike labelling every background component.
void flood_from_border(Mask& out, const Geometry& geometry, std::int64_t first_slice, std::int64_t last_slice,
                       bool end_slices_are_border, std::vector<std::int64_t>& stack) {
  const auto& n = geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  stack.clear();
  auto push = [&](std::int64_t v) {
    if (out[v] != 0) return;
    out[v] = 2;
    stack.push_back(v);
  };

  for (std::int64_t k = first_slice; k <= last_slice; ++k) {
    const bool end_slice = end_slices_are_border && (k == first_slice || k == last_slice);
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

}  // namespace

Mask fill_holes(const Mask& mask, const Geometry& geometry, FilterScope scope) {
  const auto& n = geometry.size;
  Mask out(mask.size());
  for (std::size_t v = 0; v < mask.size(); ++v) out[v] = mask[v] ? 1 : 0;

  // Background reached from the border becomes 2; background left at 0 is a hole.
  if (scope == FilterScope::volume) {
    std::vector<std::int64_t> stack;
    flood_from_border(out, geometry, 0, n[2] - 1, true, stack);
  } else {
    parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
      std::vector<std::int64_t> stack;
      for (std::int64_t k = begin; k < end; ++k) flood_from_border(out, geometry, k, k, false, stack);
    });
  }

  const std::int64_t voxel_count = static_cast<std::int64_t>(out.size());
  parallel_for(0, voxel_count, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t v = begin; v < end; ++v) out[v] = out[v] != 2;
  }, 1 << 16);
  return out;
}

}  // namespace lunglens
