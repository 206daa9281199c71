// Connected-component labelling of binary masks: each slice is labelled in
// parallel on runs of voxels along i, then the slices are joined with a
// union-find over their labels.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "image/mask.h"
#include "parallel/parallel_for.h"

namespace lunglens {

enum class Connectivity {
  face,  // 6-connected in 3D, 4-connected within a slice.
  full,  // 26-connected in 3D, 8-connected within a slice.
};

struct Components {
  // Component id per voxel: 0 for background, 1..count() for components,
  // numbered in raster order of their first voxel (i fastest, then j, then k).
  std::vector<std::int32_t> labels;

  // Voxel count per id; sizes[0] is the background count.
  std::vector<std::int64_t> sizes;

  std::int32_t count() const { return static_cast<std::int32_t>(sizes.size()) - 1; }
};

// A run of non-zero voxels [begin, end) along i in one row of a slice.
struct Run {
  std::int32_t begin;
  std::int32_t end;
  std::int32_t label;  // Slice-local component id (1..).
};

// The runs of one slice, row by row: the runs of row j are
// runs[row_start[j]] .. runs[row_start[j + 1] - 1], in increasing i.
struct SliceRuns {
  std::vector<Run> runs;
  std::vector<std::int32_t> row_start;
  std::vector<std::int64_t> sizes;  // Voxel count per slice-local id; index 0 unused.
};

// Components as labelled runs, for steps that need per-component sums and a
// mask of chosen components but not a 4-byte label per voxel.
struct RunComponents {
  std::vector<SliceRuns> slices;       // Per slice k.
  std::vector<std::int32_t> offset;    // First provisional id of each slice, minus 1.
  std::vector<std::int32_t> final_id;  // Component id per provisional id.
  std::vector<std::int64_t> sizes;     // As Components::sizes.

  std::int32_t count() const { return static_cast<std::int32_t>(sizes.size()) - 1; }

  // Returns the component id (1..count()) of `run` in slice k.
  std::int32_t id(std::int64_t k, const Run& run) const { return final_id[offset[k] + run.label]; }

  // Calls visit(j, run, id) for every run of slice k: rows in increasing j,
  // the runs of a row in increasing i.
  template <class Visit>
  void for_each_run(std::int64_t k, Visit&& visit) const {
    const SliceRuns& slice = slices[k];
    const auto rows = static_cast<std::int64_t>(slice.row_start.size()) - 1;
    for (std::int64_t j = 0; j < rows; ++j)
      for (std::int32_t r = slice.row_start[j]; r < slice.row_start[j + 1]; ++r) {
        const Run& run = slice.runs[r];
        visit(j, run, id(k, run));
      }
  }

  // Writes value(id) over every run into `out` (a zero volume on `geometry`), slices in parallel.
  template <class T, class Value>
  void write(const Geometry& geometry, std::vector<T>& out, Value&& value) const {
    const auto& n = geometry.size;
    const std::int64_t slice_size = n[0] * n[1];
    parallel_for(0, n[2], [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t k = begin; k < end; ++k) {
        T* slice = out.data() + k * slice_size;
        for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
          std::fill(slice + j * n[0] + run.begin, slice + j * n[0] + run.end, value(c));
        });
      }
    });
  }
};

// Labels the runs of the non-zero voxels of `mask`, with the same ids as label_components.
RunComponents label_runs(const Mask& mask, const Geometry& geometry, Connectivity connectivity = Connectivity::face,
                         FilterScope scope = FilterScope::volume);

// Labels the non-zero voxels of `mask`. With FilterScope::per_slice, each
// slice is labelled on its own (ids stay unique across the volume).
Components label_components(const Mask& mask, const Geometry& geometry,
                            Connectivity connectivity = Connectivity::face,
                            FilterScope scope = FilterScope::volume);

// Returns the mask of the largest component (an all-zero mask when there is
// none). With FilterScope::per_slice, the largest component of each slice.
Mask largest_component(const Mask& mask, const Geometry& geometry,
                       Connectivity connectivity = Connectivity::face,
                       FilterScope scope = FilterScope::volume);

// Returns the mask of the components with at least `min_voxels` voxels.
Mask remove_small_components(const Mask& mask, const Geometry& geometry, std::int64_t min_voxels,
                             Connectivity connectivity = Connectivity::face,
                             FilterScope scope = FilterScope::volume);

}  // namespace lunglens
