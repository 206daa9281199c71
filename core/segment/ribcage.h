// The region enclosed by the ribcage in each axial slice.
#pragma once

#include <cstdint>
#include <vector>

#include "image/mask.h"
#include "segment/canonical_ct.h"
#include "segment/segment_options.h"

namespace lunglens {

struct Ribcage {
  // Per row (j, k): the hull covers i from span_first to span_last; an empty
  // row has span_first > span_last. Index j + ny * k.
  std::vector<std::int32_t> span_first;
  std::vector<std::int32_t> span_last;
  std::int64_t rows_per_slice = 0;     // ny.
  std::vector<std::uint8_t> reliable;  // Per slice k: 1 when its hull encloses a chest.

  std::int32_t row_first(std::int64_t j, std::int64_t k) const { return span_first[row(j, k)]; }
  std::int32_t row_last(std::int64_t j, std::int64_t k) const { return span_last[row(j, k)]; }
  std::size_t row(std::int64_t j, std::int64_t k) const { return static_cast<std::size_t>(j + rows_per_slice * k); }
};

// Returns, per axial slice, the convex hull of the bone inside `body` (above
// SegmentOptions::bone_min_hu: ribs, spine, sternum), leaving out bone within
// ribcage_padding_margin_mm of padding or of the grid edge. A slice's hull is
// reliable when the slice has at least ribcage_min_bone_mm2 of bone and the
// hull covers at least ribcage_min_body_fraction of its body area. On other
// slices every row is empty.
Ribcage ribcage_hull(const CanonicalCt& ct, const Mask& body, const SegmentOptions& options);

}  // namespace lunglens
