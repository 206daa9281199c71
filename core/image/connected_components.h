// Connected-component labelling of binary masks: each slice is labelled in
// parallel on runs of voxels along i, then the slices are joined with a
// union-find over their labels.
#pragma once

#include <cstdint>
#include <vector>

#include "image/mask.h"

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
