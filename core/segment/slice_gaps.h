// Slices without data inside a volume: a file missing from the series, or
// one that failed to decode, leaves an axial slice that is padding from edge
// to edge. Left as it is, such a slice cuts every lung into an upper and a
// lower part, and the right/left split then fails or swaps parts.
#pragma once

#include <cstdint>
#include <vector>

#include "image/mask.h"
#include "segment/canonical_ct.h"

namespace lunglens {

// Fills each run of all-padding slices that has slices with data on both
// sides by linear interpolation of their HU, so that the lungs stay connected
// for the segmentation. A filled voxel is padding where either side is. Returns the filled canonical slice indices in increasing order.
// `ct` gets its own storage first when it views the input volume. Runs at the
// first or last slice stay padding.
std::vector<std::int64_t> fill_slice_gaps(CanonicalCt& ct);

// Zeroes the voxels of `part` (the voxels of `box` on the canonical grid)
// that lie in the canonical slices `slices`. Those slices hold no data, so no
// volume is counted there.
void clear_slices(std::vector<std::uint8_t>& part, const IndexBox& box, const std::vector<std::int64_t>& slices);

}  // namespace lunglens
