#include "image/connected_components.h"

#include <algorithm>
#include <numeric>

#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

std::int32_t find_root(std::vector<std::int32_t>& parent, std::int32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

void unite(std::vector<std::int32_t>& parent, std::int32_t a, std::int32_t b) {
  a = find_root(parent, a);
  b = find_root(parent, b);
  if (a == b) return;
  if (a < b) parent[b] = a;
  else parent[a] = b;
}

// Labels slice `slice` (nx * ny voxels) with ids 1..m in raster order of
// first voxel; returns the voxel count of each id (index 0 unused).
std::vector<std::int64_t> label_slice(const std::uint8_t* slice, std::int32_t* labels, std::int64_t nx,
                                      std::int64_t ny, bool diagonal, std::vector<std::int32_t>& parent) {
  parent.assign(1, 0);
  for (std::int64_t j = 0; j < ny; ++j) {
    for (std::int64_t i = 0; i < nx; ++i) {
      const std::int64_t v = i + j * nx;
      if (!slice[v]) {
        labels[v] = 0;
        continue;
      }
      std::int32_t label = 0;
      auto join = [&](std::int64_t neighbour) {
        const std::int32_t other = labels[neighbour];
        if (!other) return;
        if (!label) label = other;
        else if (other != label) unite(parent, label, other);
      };
      if (i > 0) join(v - 1);
      if (j > 0) {
        join(v - nx);
        if (diagonal && i > 0) join(v - nx - 1);
        if (diagonal && i + 1 < nx) join(v - nx + 1);
      }
      if (!label) {
        label = static_cast<std::int32_t>(parent.size());
        parent.push_back(label);
      }
      labels[v] = label;
    }
  }

  // Roots are the smallest id of their set, so compact ids keep raster order.
  std::vector<std::int32_t> compact(parent.size(), 0);
  std::int32_t next = 0;
  for (std::size_t id = 1; id < parent.size(); ++id) {
    const std::int32_t root = find_root(parent, static_cast<std::int32_t>(id));
    compact[id] = root == static_cast<std::int32_t>(id) ? ++next : compact[root];
  }
  std::vector<std::int64_t> sizes(next + 1, 0);
  for (std::int64_t v = 0; v < nx * ny; ++v) {
    if (!labels[v]) continue;
    labels[v] = compact[labels[v]];
    ++sizes[labels[v]];
  }
  return sizes;
}

}  // namespace

Components label_components(const Mask& mask, const Geometry& geometry, Connectivity connectivity,
                            FilterScope scope) {
  const auto& n = geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  const bool diagonal = connectivity == Connectivity::full;
  Components result;
  result.labels.assign(mask.size(), 0);

  // 1. Label each slice on its own, with slice-local ids.
  std::vector<std::vector<std::int64_t>> slice_sizes(n[2]);
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int32_t> parent;
    for (std::int64_t k = begin; k < end; ++k)
      slice_sizes[k] = label_slice(mask.data() + k * slice_size, result.labels.data() + k * slice_size, n[0],
                                   n[1], diagonal, parent);
  });

  // 2. Give each slice a block of provisional ids.
  std::vector<std::int32_t> offset(n[2] + 1, 0);
  for (std::int64_t k = 0; k < n[2]; ++k)
    offset[k + 1] = offset[k] + static_cast<std::int32_t>(slice_sizes[k].size()) - 1;
  std::vector<std::int32_t> parent(offset[n[2]] + 1);
  std::iota(parent.begin(), parent.end(), 0);

  // 3. Join labels across neighbouring slices: pairs are collected in
  // parallel, then merged on this thread.
  if (scope == FilterScope::volume && n[2] > 1) {
    std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> pairs(n[2]);
    parallel_for(1, n[2], [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t k = begin; k < end; ++k) {
        const std::int32_t* current = result.labels.data() + k * slice_size;
        const std::int32_t* below = current - slice_size;
        auto& out = pairs[k];
        for (std::int64_t j = 0; j < n[1]; ++j)
          for (std::int64_t i = 0; i < n[0]; ++i) {
            const std::int32_t a = current[i + j * n[0]];
            if (!a) continue;
            const std::int64_t j0 = diagonal ? std::max<std::int64_t>(0, j - 1) : j;
            const std::int64_t j1 = diagonal ? std::min<std::int64_t>(n[1] - 1, j + 1) : j;
            const std::int64_t i0 = diagonal ? std::max<std::int64_t>(0, i - 1) : i;
            const std::int64_t i1 = diagonal ? std::min<std::int64_t>(n[0] - 1, i + 1) : i;
            for (std::int64_t jj = j0; jj <= j1; ++jj)
              for (std::int64_t ii = i0; ii <= i1; ++ii) {
                const std::int32_t b = below[ii + jj * n[0]];
                if (!b) continue;
                const std::pair<std::int32_t, std::int32_t> pair{offset[k] + a, offset[k - 1] + b};
                if (out.empty() || out.back() != pair) out.push_back(pair);
              }
          }
      }
    });
    for (const auto& slice_pairs : pairs)
      for (const auto& [a, b] : slice_pairs) unite(parent, a, b);
  }

  // 4. Number the sets in raster order and relabel.
  std::vector<std::int32_t> final_id(parent.size(), 0);
  std::int32_t count = 0;
  for (std::size_t id = 1; id < parent.size(); ++id) {
    const std::int32_t root = find_root(parent, static_cast<std::int32_t>(id));
    final_id[id] = root == static_cast<std::int32_t>(id) ? ++count : final_id[root];
  }
  result.sizes.assign(count + 1, 0);
  for (std::int64_t k = 0; k < n[2]; ++k)
    for (std::size_t local = 1; local < slice_sizes[k].size(); ++local)
      result.sizes[final_id[offset[k] + local]] += slice_sizes[k][local];
  result.sizes[0] = static_cast<std::int64_t>(mask.size()) -
                    std::accumulate(result.sizes.begin() + 1, result.sizes.end(), std::int64_t{0});

  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k) {
      std::int32_t* labels = result.labels.data() + k * slice_size;
      for (std::int64_t v = 0; v < slice_size; ++v)
        if (labels[v]) labels[v] = final_id[offset[k] + labels[v]];
    }
  });
  return result;
}

Mask largest_component(const Mask& mask, const Geometry& geometry, Connectivity connectivity,
                       FilterScope scope) {
  const Components components = label_components(mask, geometry, connectivity, scope);
  Mask out(mask.size(), 0);
  if (components.count() == 0) return out;

  if (scope == FilterScope::per_slice) {
    const std::int64_t slice_size = geometry.size[0] * geometry.size[1];
    parallel_for(0, geometry.size[2], [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t k = begin; k < end; ++k) {
        const std::int32_t* labels = components.labels.data() + k * slice_size;
        std::int32_t best = 0;
        for (std::int64_t v = 0; v < slice_size; ++v)
          if (labels[v] && (!best || components.sizes[labels[v]] > components.sizes[best])) best = labels[v];
        for (std::int64_t v = 0; v < slice_size; ++v) out[k * slice_size + v] = best && labels[v] == best;
      }
    });
    return out;
  }

  const auto largest = static_cast<std::int32_t>(
      std::max_element(components.sizes.begin() + 1, components.sizes.end()) - components.sizes.begin());
  for (std::size_t v = 0; v < out.size(); ++v) out[v] = components.labels[v] == largest;
  return out;
}

Mask remove_small_components(const Mask& mask, const Geometry& geometry, std::int64_t min_voxels,
                             Connectivity connectivity, FilterScope scope) {
  const Components components = label_components(mask, geometry, connectivity, scope);
  Mask out(mask.size(), 0);
  for (std::size_t v = 0; v < out.size(); ++v) {
    const std::int32_t label = components.labels[v];
    out[v] = label != 0 && components.sizes[label] >= min_voxels;
  }
  return out;
}

}  // namespace lunglens
