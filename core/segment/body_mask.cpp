#include "segment/body_mask.h"

#include "image/connected_components.h"
#include "image/hole_filling.h"
#include "image/morphology.h"
#include "image/resample.h"

namespace lunglens {
namespace {

// The outline only needs to separate body from outside air, so coarse blocks do.
constexpr double kBlockMm = 4.0;
constexpr double kOpeningRadiusMm = 4.0;
constexpr double kClosingRadiusMm = 8.0;

}  // namespace

Mask body_mask(const CanonicalCt& ct, const SegmentOptions& options) {
  Mask tissue(ct.hu.size());
  for (std::size_t v = 0; v < tissue.size(); ++v)
    tissue[v] = !ct.padding[v] && ct.hu[v] > options.body_threshold_hu;

  BlockFactors factors = block_factors_for(ct.geometry, kBlockMm);
  factors[2] = 1;
  const Geometry coarse_geometry = block_geometry(ct.geometry, factors);
  Mask coarse = downsample(tissue, ct.geometry, factors, BlockRule::majority);

  coarse = open(coarse, coarse_geometry, Ellipsoid::ball(kOpeningRadiusMm), FilterScope::per_slice);
  coarse = largest_component(coarse, coarse_geometry, Connectivity::full, FilterScope::per_slice);
  coarse = close(coarse, coarse_geometry, Ellipsoid::ball(kClosingRadiusMm), FilterScope::per_slice);
  coarse = fill_holes(coarse, coarse_geometry, FilterScope::per_slice);

  Mask body = upsample(coarse, ct.geometry, factors);
  for (std::size_t v = 0; v < body.size(); ++v) body[v] = body[v] && !ct.padding[v];
  return body;
}

}  // namespace lunglens
