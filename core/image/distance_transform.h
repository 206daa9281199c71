// Exact Euclidean distance transform with anisotropic voxel spacing: the
// separable lower-envelope-of-parabolas algorithm of Felzenszwalb and
// Huttenlocher ("Distance Transforms of Sampled Functions", Theory of
// Computing 8, 2012), one pass per axis, linear in the voxel count.
#pragma once

#include <limits>
#include <vector>

#include "image/mask.h"

namespace lunglens {

inline constexpr float kNoFeature = std::numeric_limits<float>::infinity();

// Returns, for every voxel, the squared distance in mm^2 from its centre to
// the centre of the nearest non-zero voxel of `features`. Only voxels inside
// the grid count as features, so the grid border is neither feature nor
// barrier. Voxels with no feature in reach get kNoFeature (an empty mask, or
// with FilterScope::per_slice a slice without features).
std::vector<float> squared_distance_mm2(const Mask& features, const Geometry& geometry,
                                        FilterScope scope = FilterScope::volume);

// Returns the distance in mm from each voxel to the nearest zero voxel of
// `mask` (0 on background): the local half-thickness of the foreground.
std::vector<float> distance_inside_mm(const Mask& mask, const Geometry& geometry,
                                      FilterScope scope = FilterScope::volume);

}  // namespace lunglens
