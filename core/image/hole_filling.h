// Hole filling: background regions that cannot reach the grid border become foreground.
#pragma once

#include "image/mask.h"

namespace lunglens {

// Returns `mask` with its holes filled. Background is face-connected (6 in
// 3D, 4 in a slice), the dual of full foreground connectivity. With
// FilterScope::volume a hole must be enclosed in 3D (the first and last
// slices are border); with FilterScope::per_slice each slice is filled on its
// own, so a vessel crossing a lung fills in every slice it is enclosed in.
Mask fill_holes(const Mask& mask, const Geometry& geometry, FilterScope scope = FilterScope::volume);

}  // namespace lunglens
