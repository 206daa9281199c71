#include "segment/lung_candidates.h"

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "image/connected_components.h"
#include "parallel/parallel_for.h"
#include "segment/ribcage.h"

namespace lunglens {
namespace {

std::string format_ml(double ml) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f mL", ml);
  return text;
}

// Returns, per axial slice, the row (j) halfway between the body's most
// anterior and most posterior rows; -1 for slices without body.
std::vector<std::int64_t> body_mid_rows(const Mask& body, const Geometry& geometry) {
  const auto& n = geometry.size;
  std::vector<std::int64_t> mid(n[2], -1);
  for (std::int64_t k = 0; k < n[2]; ++k) {
    std::int64_t first = -1, last = -1;
    for (std::int64_t j = 0; j < n[1]; ++j)
      for (std::int64_t i = 0; i < n[0]; ++i)
        if (body[geometry.linear_index(i, j, k)]) {
          if (first < 0) first = j;
          last = j;
          break;
        }
    if (first >= 0) mid[k] = (first + last) / 2;
  }
  return mid;
}

}  // namespace

LungCandidates select_lung_candidates(const Mask& air, const Mask& body, const CanonicalCt& ct,
                                      const SegmentOptions& options) {
  LungCandidates result;
  result.components = label_runs(air, ct.geometry, Connectivity::face);
  const RunComponents& components = result.components;
  if (components.count() == 0) {
    result.reason = "no lung found: no air (below " + std::to_string(int(options.lung_air_max_hu)) +
                    " HU) inside the body";
    return result;
  }

  // Gas voxels of each component, and whether it reaches the posterior half of the body.
  const std::vector<std::int64_t> mid_rows = body_mid_rows(body, ct.geometry);
  const auto& n = ct.geometry.size;
  std::vector<std::int64_t> air_voxels(components.count() + 1, 0);
  std::vector<std::int64_t> gas_voxels(components.count() + 1, 0);
  std::vector<std::int64_t> anterior_gas_voxels(components.count() + 1, 0);
  std::vector<std::uint8_t> reaches_posterior(components.count() + 1, 0);
  const Ribcage ribcage = ribcage_hull(ct, body, options);
  std::vector<std::int64_t> hull_voxels(components.count() + 1, 0);
  std::vector<std::int64_t> outside_hull_voxels(components.count() + 1, 0);
  // Chunks of slices are tallied in parallel, then added up.
  std::mutex merge;
  parallel_for(0, n[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    const std::size_t ids = air_voxels.size();
    std::vector<std::int64_t> air(ids, 0), gas(ids, 0), anterior_gas(ids, 0), hull(ids, 0), outside_hull(ids, 0);
    std::vector<std::uint8_t> posterior(ids, 0);
    for (std::int64_t k = k_begin; k < k_end; ++k) {
      components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
        const std::int16_t* hu = ct.hu.data() + ct.geometry.linear_index(0, j, k);
        for (std::int64_t i = run.begin; i < run.end; ++i) {
          air[c] += hu[i] < options.lung_air_max_hu;
          gas[c] += hu[i] < options.gas_hu;
          anterior_gas[c] += hu[i] < options.anterior_gas_hu;
        }
        if (j >= mid_rows[k]) posterior[c] = 1;
        if (!ribcage.reliable[static_cast<std::size_t>(k)]) return;
        const std::int64_t length = run.end - run.begin;
        hull[c] += length;
        const std::int64_t first = std::max<std::int64_t>(run.begin, ribcage.row_first(j, k));
        const std::int64_t last = std::min<std::int64_t>(run.end - 1, ribcage.row_last(j, k));
        outside_hull[c] += length - std::max<std::int64_t>(0, last - first + 1);
      });
    }
    const std::lock_guard<std::mutex> lock(merge);
    for (std::size_t c = 0; c < ids; ++c) {
      air_voxels[c] += air[c];
      gas_voxels[c] += gas[c];
      anterior_gas_voxels[c] += anterior_gas[c];
      reaches_posterior[c] |= posterior[c];
      hull_voxels[c] += hull[c];
      outside_hull_voxels[c] += outside_hull[c];
    }
  });

  const double voxel_ml = ct.geometry.voxel_volume_mm3() / 1000.0;
  const double extent_mm = double(ct.geometry.size[2]) * ct.geometry.spacing_mm[2];
  const double min_ml = std::min(options.min_lung_volume_ml, options.min_lung_area_mm2 * extent_mm / 1000.0);

  std::vector<std::uint8_t>& keep = result.keep;
  keep.assign(components.count() + 1, 0);
  double largest_ml = 0.0;
  double largest_lung_sized_gas = -1.0;
  for (std::int32_t c = 1; c <= components.count(); ++c) {
    const double ml = double(components.sizes[c]) * voxel_ml;
    // The gas rules look at the air part only, so dense lung cannot hide gas.
    const double air = double(std::max<std::int64_t>(1, air_voxels[c]));
    const double gas_fraction = double(gas_voxels[c]) / air;
    const double anterior_gas_fraction = double(anterior_gas_voxels[c]) / air;
    largest_ml = std::max(largest_ml, ml);
    if (ml < min_ml) continue;
    const bool bowel_gas = !reaches_posterior[c] && anterior_gas_fraction > options.anterior_gas_max_fraction;
    if (gas_fraction > options.gas_max_fraction || bowel_gas) {
      largest_lung_sized_gas = std::max(largest_lung_sized_gas, gas_fraction);
      continue;
    }
    if (outside_hull_voxels[c] > options.ribcage_outside_max_fraction * double(hull_voxels[c]) &&
        hull_voxels[c] > 0)
      continue;
    keep[c] = 1;
    ++result.count;
  }

  if (result.count == 0) {
    if (largest_lung_sized_gas >= 0.0)
      result.reason = "no lung found: the air regions of lung size inside the body are gas (up to " +
                      std::to_string(int(100.0 * largest_lung_sized_gas + 0.5)) + " % of voxels below " +
                      std::to_string(int(options.gas_hu)) + " HU, or only in the anterior half of the body" +
                      " with more than " + std::to_string(int(100.0 * options.anterior_gas_max_fraction + 0.5)) +
                      " % below " + std::to_string(int(options.anterior_gas_hu)) +
                      " HU), not aerated lung; bowel gas below the lungs?";
    else
      result.reason = "no lung found: no air region of lung size inside the body (largest " + format_ml(largest_ml) +
                      ", a lung needs at least " + format_ml(min_ml) + " here)";
    return result;
  }

  // The bounding box of the selected runs.
  result.box.begin = {n[0], n[1], n[2]};
  result.box.end = {0, 0, 0};
  for (std::int64_t k = 0; k < n[2]; ++k)
    components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
      if (!keep[c]) return;
      result.box.begin = {std::min<std::int64_t>(result.box.begin[0], run.begin), std::min(result.box.begin[1], j),
                          std::min(result.box.begin[2], k)};
      result.box.end = {std::max<std::int64_t>(result.box.end[0], run.end), std::max(result.box.end[1], j + 1),
                        std::max(result.box.end[2], k + 1)};
    });
  return result;
}

Mask LungCandidates::mask_in(const IndexBox& part) const {
  Mask mask(static_cast<std::size_t>(part.voxel_count()), 0);
  const std::int64_t width = part.end[0] - part.begin[0];
  const std::int64_t height = part.end[1] - part.begin[1];
  parallel_for(part.begin[2], part.end[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    for (std::int64_t k = k_begin; k < k_end; ++k)
      components.for_each_run(k, [&](std::int64_t j, const Run& run, std::int32_t c) {
        if (!keep[c] || j < part.begin[1] || j >= part.end[1]) return;
        std::uint8_t* row = mask.data() + ((k - part.begin[2]) * height + (j - part.begin[1])) * width;
        const std::int64_t first = std::max<std::int64_t>(run.begin, part.begin[0]);
        const std::int64_t end = std::min<std::int64_t>(run.end, part.end[0]);
        if (first < end) std::fill(row + (first - part.begin[0]), row + (end - part.begin[0]), 1);
      });
  });
  return mask;
}

}  // namespace lunglens
