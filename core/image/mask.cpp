#include "image/mask.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "parallel/parallel_for.h"

namespace lunglens {

std::int64_t count_nonzero(const Mask& mask) {
  std::int64_t count = 0;
  for (const std::uint8_t value : mask) count += value != 0;
  return count;
}

namespace {

// Scans row by row: only the first and last match of a row move the box.
// Chunks of slices are scanned in parallel, then their boxes are merged.
template <class Matches>
IndexBox bounding_box_where(const std::vector<std::uint8_t>& voxels, const Geometry& geometry, Matches matches) {
  const auto& n = geometry.size;
  IndexBox box;
  box.begin = {n[0], n[1], n[2]};
  box.end = {0, 0, 0};
  // Most rows are empty or start with a long run of zeros. Where zero never
  // matches, such runs are skipped 8 voxels at a time.
  const bool skip_zero_words = !matches(0);
  std::mutex merge;
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    IndexBox part;
    part.begin = {n[0], n[1], n[2]};
    part.end = {0, 0, 0};
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = 0; j < n[1]; ++j) {
        const std::uint8_t* row = voxels.data() + geometry.linear_index(0, j, k);
        std::int64_t first = 0;
        if (skip_zero_words)
          while (first + 8 <= n[0] && mask_word(row + first) == 0) first += 8;
        while (first < n[0] && !matches(row[first])) ++first;
        if (first == n[0]) continue;
        std::int64_t last = n[0] - 1;
        if (skip_zero_words)
          while (last - 8 >= first && mask_word(row + last - 7) == 0) last -= 8;
        while (!matches(row[last])) --last;
        part.begin = {std::min(part.begin[0], first), std::min(part.begin[1], j), std::min(part.begin[2], k)};
        part.end = {std::max(part.end[0], last + 1), std::max(part.end[1], j + 1), std::max(part.end[2], k + 1)};
      }
    const std::lock_guard<std::mutex> lock(merge);
    for (int a = 0; a < 3; ++a) {
      box.begin[a] = std::min(box.begin[a], part.begin[a]);
      box.end[a] = std::max(box.end[a], part.end[a]);
    }
  });
  if (box.empty()) return IndexBox{};
  return box;
}

}  // namespace

IndexBox bounding_box(const Mask& mask, const Geometry& geometry) {
  return bounding_box_where(mask, geometry, [](std::uint8_t value) { return value != 0; });
}

IndexBox bounding_box_of_value(const std::vector<std::uint8_t>& labels, const Geometry& geometry,
                               std::uint8_t value) {
  return bounding_box_where(labels, geometry, [value](std::uint8_t label) { return label == value; });
}

IndexBox expand_box(const IndexBox& box, const Geometry& geometry, double margin_mm) {
  IndexBox out = box;
  for (int a = 0; a < 3; ++a) {
    const auto margin = static_cast<std::int64_t>(std::ceil(margin_mm / geometry.spacing_mm[a]));
    out.begin[a] = std::max<std::int64_t>(0, box.begin[a] - margin);
    out.end[a] = std::min<std::int64_t>(geometry.size[a], box.end[a] + margin);
  }
  return out;
}

Geometry crop_geometry(const Geometry& geometry, const IndexBox& box) {
  Geometry out = geometry;
  for (int a = 0; a < 3; ++a) out.size[a] = box.end[a] - box.begin[a];
  out.origin_mm = geometry.index_to_lps(
      {static_cast<double>(box.begin[0]), static_cast<double>(box.begin[1]), static_cast<double>(box.begin[2])});
  return out;
}

}  // namespace lunglens
