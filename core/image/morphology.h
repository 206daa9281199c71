// Binary morphology with ellipsoidal structuring elements sized in mm, so the
// same call means the same anatomy on 0.7 x 0.7 x 5 mm and 1 x 1 x 1 mm grids.
// Each operation thresholds one exact Euclidean distance transform, so its
// cost does not grow with the radius. The element along an axis always holds
// at least the centre voxel, so a radius below the spacing (e.g. 3 mm across
// 5 mm slices) leaves that axis alone.
#pragma once

#include "image/mask.h"

namespace lunglens {

// Semi-axes of an ellipsoidal structuring element along i, j, k, in mm; all
// must be positive. With FilterScope::per_slice the k semi-axis is unused.
struct Ellipsoid {
  Vec3 radius_mm{1.0, 1.0, 1.0};

  static Ellipsoid ball(double radius_mm) { return {{radius_mm, radius_mm, radius_mm}}; }
};

// Voxels within the element of a non-zero voxel.
Mask dilate(const Mask& mask, const Geometry& geometry, const Ellipsoid& element,
            FilterScope scope = FilterScope::volume);

// Voxels whose whole element lies on non-zero voxels. Voxels outside the grid
// count as foreground, so the grid border does not erode the mask.
Mask erode(const Mask& mask, const Geometry& geometry, const Ellipsoid& element,
           FilterScope scope = FilterScope::volume);

// Dilation then erosion: fills gaps and concavities narrower than the element.
Mask close(const Mask& mask, const Geometry& geometry, const Ellipsoid& element,
           FilterScope scope = FilterScope::volume);

// Erosion then dilation: removes parts thinner than the element.
Mask open(const Mask& mask, const Geometry& geometry, const Ellipsoid& element,
          FilterScope scope = FilterScope::volume);

}  // namespace lunglens
