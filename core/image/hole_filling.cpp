#include "image/hole_filling.h"

#include "image/connected_components.h"
#include "parallel/parallel_for.h"

namespace lunglens {

Mask fill_holes(const Mask& mask, const Geometry& geometry, FilterScope scope) {
  const auto& n = geometry.size;
  Mask background(mask.size());
  for (std::size_t v = 0; v < mask.size(); ++v) background[v] = mask[v] ? 0 : 1;
  const Components components = label_components(background, geometry, Connectivity::face, scope);

  // Mark every background component that touches the border.
  std::vector<std::uint8_t> reaches_border(components.count() + 1, 0);
  for (std::int64_t k = 0; k < n[2]; ++k) {
    const bool end_slice = scope == FilterScope::volume && (k == 0 || k == n[2] - 1);
    for (std::int64_t j = 0; j < n[1]; ++j) {
      const bool edge_row = end_slice || j == 0 || j == n[1] - 1;
      const std::int64_t step = edge_row ? 1 : std::max<std::int64_t>(1, n[0] - 1);
      for (std::int64_t i = 0; i < n[0]; i += step)
        reaches_border[components.labels[geometry.linear_index(i, j, k)]] = 1;
    }
  }

  Mask out(mask.size());
  parallel_for(0, static_cast<std::int64_t>(mask.size()), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t v = begin; v < end; ++v) out[v] = mask[v] || !reaches_border[components.labels[v]];
  }, 1 << 16);
  return out;
}

}  // namespace lunglens
