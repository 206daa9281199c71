#include "segment/slice_gaps.h"

#include <algorithm>
#include <cmath>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// Returns 1 for each slice whose voxels are all padding.
std::vector<std::uint8_t> padding_slices(const CanonicalCt& ct) {
  const auto& n = ct.geometry.size;
  const std::int64_t slice_voxels = n[0] * n[1];
  std::vector<std::uint8_t> empty(static_cast<std::size_t>(n[2]), 0);
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k) {
      const auto first = ct.padding.begin() + k * slice_voxels;
      empty[static_cast<std::size_t>(k)] = std::all_of(first, first + slice_voxels, [](std::uint8_t p) { return p != 0; });
    }
  });
  return empty;
}

// Gives `ct` its own copy of the voxels when it views the input volume.
void own_storage(CanonicalCt& ct) {
  if (ct.hu_storage.empty()) {
    ct.hu_storage.assign(ct.hu.begin(), ct.hu.end());
    ct.hu = ct.hu_storage;
  }
  if (ct.padding_storage.empty()) {
    ct.padding_storage.assign(ct.padding.begin(), ct.padding.end());
    ct.padding = ct.padding_storage;
  }
}

}  // namespace

std::vector<std::int64_t> fill_slice_gaps(CanonicalCt& ct) {
  const auto& n = ct.geometry.size;
  const std::vector<std::uint8_t> empty = padding_slices(ct);
  std::vector<std::int64_t> filled;
  const std::int64_t slice_voxels = n[0] * n[1];

  for (std::int64_t k = 1; k + 1 < n[2]; ++k) {
    if (!empty[static_cast<std::size_t>(k)] || empty[static_cast<std::size_t>(k - 1)]) continue;

    // A run of empty slices starts at k; `above` is the first slice with data after it.
    std::int64_t above = k;
    while (above < n[2] && empty[static_cast<std::size_t>(above)]) ++above;
    if (above == n[2]) break;

    own_storage(ct);
    const std::int64_t below = k - 1;
    const std::int16_t* low = ct.hu_storage.data() + below * slice_voxels;
    const std::int16_t* high = ct.hu_storage.data() + above * slice_voxels;
    const std::uint8_t* low_padding = ct.padding_storage.data() + below * slice_voxels;
    const std::uint8_t* high_padding = ct.padding_storage.data() + above * slice_voxels;
    for (std::int64_t g = k; g < above; ++g) {
      const double weight = double(g - below) / double(above - below);
      std::int16_t* hu = ct.hu_storage.data() + g * slice_voxels;
      std::uint8_t* padding = ct.padding_storage.data() + g * slice_voxels;
      parallel_for(0, slice_voxels, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t v = begin; v < end; ++v) {
          hu[v] = static_cast<std::int16_t>(std::lround((1.0 - weight) * low[v] + weight * high[v]));
          padding[v] = low_padding[v] | high_padding[v];
        }
      });
      filled.push_back(g);
    }
    k = above;
  }
  return filled;
}

void clear_slices(std::vector<std::uint8_t>& part, const IndexBox& box, const std::vector<std::int64_t>& slices) {
  const std::int64_t slice_voxels = (box.end[0] - box.begin[0]) * (box.end[1] - box.begin[1]);
  for (const std::int64_t k : slices) {
    if (k < box.begin[2] || k >= box.end[2]) continue;
    const auto first = part.begin() + (k - box.begin[2]) * slice_voxels;
    std::fill(first, first + slice_voxels, std::uint8_t{0});
  }
}

}  // namespace lunglens
