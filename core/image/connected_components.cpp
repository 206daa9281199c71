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

// True when one of the 8 bytes of `word` is 0: (w - 0x01..01) & ~w & 0x80..80
// is non-zero exactly then.
bool has_zero_byte(std::uint64_t word) {
  return ((word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull) != 0;
}

void find_runs(const std::uint8_t* slice, std::int64_t nx, std::int64_t ny, SliceRuns& out) {
  out.runs.clear();
  out.row_start.assign(static_cast<std::size_t>(ny + 1), 0);
  for (std::int64_t j = 0; j < ny; ++j) {
    out.row_start[j] = static_cast<std::int32_t>(out.runs.size());
    const std::uint8_t* row = slice + j * nx;
    for (std::int64_t i = 0; i < nx;) {
      // Background and foreground are stepped over 8 voxels at a time where
      // a whole word is background, or contains no background byte.
      if (!row[i]) {
        i = i + 8 <= nx && mask_word(row + i) == 0 ? i + 8 : i + 1;
        continue;
      }
      const std::int64_t begin = i;
      while (i + 8 <= nx && !has_zero_byte(mask_word(row + i))) i += 8;
      while (i < nx && row[i]) ++i;
      out.runs.push_back({static_cast<std::int32_t>(begin), static_cast<std::int32_t>(i), 0});
    }
  }
  out.row_start[ny] = static_cast<std::int32_t>(out.runs.size());
}

// Calls join(b) for each run b of `other` (a row's runs, in increasing i)
// that touches run `a`: overlapping along i, or also diagonally adjacent
// when `diagonal` is set. The search starts at `next` and only moves
// forward, so one pass over `other` serves all runs of the row it is compared with.
template <class Join>
void for_touching(const Run& a, const Run* other, std::int32_t other_count, std::int32_t& next, bool diagonal,
                  Join&& join) {
  const std::int32_t reach = diagonal ? 1 : 0;
  while (next < other_count && other[next].end + reach <= a.begin) ++next;
  for (std::int32_t b = next; b < other_count && other[b].begin < a.end + reach; ++b) join(other[b]);
}

// Labels the runs of one slice with slice-local ids 1..m in raster order of
// their first voxel and fills `sizes`.
void label_slice(SliceRuns& slice, std::int64_t ny, bool diagonal, std::vector<std::int32_t>& parent) {
  parent.assign(1, 0);
  for (std::int64_t j = 0; j < ny; ++j) {
    const std::int32_t first = slice.row_start[j], last = slice.row_start[j + 1];
    const Run* previous = j > 0 ? slice.runs.data() + slice.row_start[j - 1] : nullptr;
    const std::int32_t previous_count = j > 0 ? first - slice.row_start[j - 1] : 0;
    std::int32_t next = 0;
    for (std::int32_t r = first; r < last; ++r) {
      Run& run = slice.runs[r];
      std::int32_t label = 0;
      for_touching(run, previous, previous_count, next, diagonal, [&](const Run& other) {
        if (!label) label = other.label;
        else if (other.label != label) unite(parent, label, other.label);
      });
      if (!label) {
        label = static_cast<std::int32_t>(parent.size());
        parent.push_back(label);
      }
      run.label = label;
    }
  }

  // Ids are made in raster order and roots are the smallest id of their set,
  // so the compact ids keep the raster order of each component's first voxel.
  std::vector<std::int32_t> compact(parent.size(), 0);
  std::int32_t count = 0;
  for (std::size_t id = 1; id < parent.size(); ++id) {
    const std::int32_t root = find_root(parent, static_cast<std::int32_t>(id));
    compact[id] = root == static_cast<std::int32_t>(id) ? ++count : compact[root];
  }
  slice.sizes.assign(static_cast<std::size_t>(count) + 1, 0);
  for (Run& run : slice.runs) {
    run.label = compact[run.label];
    slice.sizes[run.label] += run.end - run.begin;
  }
}

}  // namespace

// Labelling works on runs of voxels along i rather than on single voxels:
// chest masks are large blobs, so there are far fewer runs than voxels.
RunComponents label_runs(const Mask& mask, const Geometry& geometry, Connectivity connectivity, FilterScope scope) {
  const auto& n = geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  const bool diagonal = connectivity == Connectivity::full;
  RunComponents result;

  // 1. Find the runs of each slice and label them with slice-local ids.
  auto& slices = result.slices;
  slices.resize(static_cast<std::size_t>(n[2]));
  parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
    std::vector<std::int32_t> parent;
    for (std::int64_t k = begin; k < end; ++k) {
      find_runs(mask.data() + k * slice_size, n[0], n[1], slices[k]);
      label_slice(slices[k], n[1], diagonal, parent);
    }
  });

  // 2. Give each slice a block of provisional ids.
  auto& offset = result.offset;
  offset.assign(static_cast<std::size_t>(n[2] + 1), 0);
  for (std::int64_t k = 0; k < n[2]; ++k)
    offset[k + 1] = offset[k] + static_cast<std::int32_t>(slices[k].sizes.size()) - 1;
  std::vector<std::int32_t> parent(offset[n[2]] + 1);
  std::iota(parent.begin(), parent.end(), 0);

  // 3. Join runs that touch across neighbouring slices: the rows j-1..j+1 of
  // the slice below for full connectivity, row j only for face connectivity.
  // Pairs are collected in parallel, then merged on this thread.
  if (scope == FilterScope::volume && n[2] > 1) {
    std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> pairs(n[2]);
    parallel_for(1, n[2], [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t k = begin; k < end; ++k) {
        const SliceRuns& current = slices[k];
        const SliceRuns& below = slices[k - 1];
        auto& out = pairs[k];
        for (std::int64_t j = 0; j < n[1]; ++j) {
          const std::int64_t j0 = diagonal ? std::max<std::int64_t>(0, j - 1) : j;
          const std::int64_t j1 = diagonal ? std::min<std::int64_t>(n[1] - 1, j + 1) : j;
          for (std::int64_t jj = j0; jj <= j1; ++jj) {
            const Run* other = below.runs.data() + below.row_start[jj];
            const std::int32_t other_count = below.row_start[jj + 1] - below.row_start[jj];
            std::int32_t next = 0;
            for (std::int32_t r = current.row_start[j]; r < current.row_start[j + 1]; ++r) {
              const std::int32_t a = offset[k] + current.runs[r].label;
              for_touching(current.runs[r], other, other_count, next, diagonal, [&](const Run& run) {
                const std::pair<std::int32_t, std::int32_t> pair{a, offset[k - 1] + run.label};
                if (out.empty() || out.back() != pair) out.push_back(pair);
              });
            }
          }
        }
      }
    });
    for (const auto& slice_pairs : pairs)
      for (const auto& [a, b] : slice_pairs) unite(parent, a, b);
  }

  // 4. Number the sets in raster order.
  auto& final_id = result.final_id;
  final_id.assign(parent.size(), 0);
  std::int32_t count = 0;
  for (std::size_t id = 1; id < parent.size(); ++id) {
    const std::int32_t root = find_root(parent, static_cast<std::int32_t>(id));
    final_id[id] = root == static_cast<std::int32_t>(id) ? ++count : final_id[root];
  }
  result.sizes.assign(count + 1, 0);
  for (std::int64_t k = 0; k < n[2]; ++k)
    for (std::size_t local = 1; local < slices[k].sizes.size(); ++local)
      result.sizes[final_id[offset[k] + local]] += slices[k].sizes[local];
  result.sizes[0] = static_cast<std::int64_t>(mask.size()) -
                    std::accumulate(result.sizes.begin() + 1, result.sizes.end(), std::int64_t{0});
  return result;
}

Components label_components(const Mask& mask, const Geometry& geometry, Connectivity connectivity,
                            FilterScope scope) {
  const RunComponents runs = label_runs(mask, geometry, connectivity, scope);
  Components result;
  result.sizes = runs.sizes;
  result.labels.assign(mask.size(), 0);
  runs.write(geometry, result.labels, [](std::int32_t id) { return id; });
  return result;
}

// The filters below write their masks from the runs, without a label volume.
Mask largest_component(const Mask& mask, const Geometry& geometry, Connectivity connectivity,
                       FilterScope scope) {
  const RunComponents runs = label_runs(mask, geometry, connectivity, scope);
  Mask out(mask.size(), 0);
  if (runs.sizes.size() <= 1) return out;

  if (scope == FilterScope::per_slice) {
    // Without joins across slices every id lies in one slice, so each slice keeps its largest id.
    std::vector<std::uint8_t> keep(runs.sizes.size(), 0);
    for (std::int64_t k = 0; k < geometry.size[2]; ++k) {
      std::int32_t best = 0;
      for (const Run& run : runs.slices[k].runs) {
        const std::int32_t id = runs.id(k, run);
        if (!best || runs.sizes[id] > runs.sizes[best]) best = id;
      }
      keep[best] = best != 0;
    }
    runs.write(geometry, out, [&keep](std::int32_t id) { return keep[id]; });
    return out;
  }

  const auto largest = static_cast<std::int32_t>(
      std::max_element(runs.sizes.begin() + 1, runs.sizes.end()) - runs.sizes.begin());
  runs.write(geometry, out, [largest](std::int32_t id) -> std::uint8_t { return id == largest; });
  return out;
}

Mask remove_small_components(const Mask& mask, const Geometry& geometry, std::int64_t min_voxels,
                             Connectivity connectivity, FilterScope scope) {
  const RunComponents runs = label_runs(mask, geometry, connectivity, scope);
  Mask out(mask.size(), 0);
  runs.write(geometry, out,
             [&runs, min_voxels](std::int32_t id) -> std::uint8_t { return runs.sizes[id] >= min_voxels; });
  return out;
}

}  // namespace lunglens
