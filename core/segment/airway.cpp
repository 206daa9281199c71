#include "segment/airway.h"

#include <algorithm>
#include <cmath>

#include "image/connected_components.h"
#include "image/hole_filling.h"
#include "image/morphology.h"
#include "parallel/parallel_for.h"

namespace lunglens {
namespace {

// A lumen area may grow to twice its parent's plus this much from one slice
// to the next; more means the threshold region leaked into the lung.
constexpr double kLeakGrowthMm2 = 100.0;

// Margin around the tracked lumen of one slice searched in the next.
constexpr double kWindowMarginMm = 40.0;

// Minimum tracked length that confirms a seed, when the volume is long enough.
constexpr double kMinTrackedMm = 10.0;

// Minimum fill of its bounding box by a seed cross-section (a disc fills 79 %).
constexpr double kMinSeedFill = 0.4;

// The partial-volume rim around the lumen (between airway_lumen_max_hu and
// lung_air_max_hu) that joins the airway label.
constexpr double kRimMm = 2.0;

struct LumenRegion {
  std::vector<std::int64_t> pixels;  // In-slice indices i + nx * j.
  double area_mm2 = 0.0;
  double centre_i = 0.0;
  double fill = 0.0;  // Area over bounding-box area.
};

// In-slice window [i0, i1) x [j0, j1) that lumen_regions searches.
struct Window {
  std::int64_t i0, j0, i1, j1;
};

Window whole_slice(const Geometry& geometry) { return {0, 0, geometry.size[0], geometry.size[1]}; }

// Returns the window around `pixels` grown by margin_mm and clipped to the slice.
Window window_around(const std::vector<std::int64_t>& pixels, const Geometry& geometry, double margin_mm) {
  Window window{geometry.size[0], geometry.size[1], 0, 0};
  for (const std::int64_t p : pixels) {
    window.i0 = std::min(window.i0, p % geometry.size[0]);
    window.j0 = std::min(window.j0, p / geometry.size[0]);
    window.i1 = std::max(window.i1, p % geometry.size[0] + 1);
    window.j1 = std::max(window.j1, p / geometry.size[0] + 1);
  }
  const auto margin_i = static_cast<std::int64_t>(margin_mm / geometry.spacing_mm[0]);
  const auto margin_j = static_cast<std::int64_t>(margin_mm / geometry.spacing_mm[1]);
  return {std::max<std::int64_t>(0, window.i0 - margin_i), std::max<std::int64_t>(0, window.j0 - margin_j),
          std::min(geometry.size[0], window.i1 + margin_i), std::min(geometry.size[1], window.j1 + margin_j)};
}

// Returns the 8-connected lumen regions of slice k inside `window`. Regions
// touching the window edge are cut there, which only matters for regions far
// larger than any airway.
std::vector<LumenRegion> lumen_regions(const CanonicalCt& ct, const Mask& body, std::int64_t k, float max_hu,
                                       const Window& window) {
  const auto& n = ct.geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  const std::int64_t width = window.i1 - window.i0;
  Geometry slice_geometry = ct.geometry;
  slice_geometry.size = {width, window.j1 - window.j0, 1};

  // The window is labelled, but pixels keep their whole-slice index.
  Mask lumen(slice_geometry.voxel_count());
  for (std::int64_t j = window.j0; j < window.j1; ++j)
    for (std::int64_t i = window.i0; i < window.i1; ++i) {
      const std::int64_t v = k * slice_size + i + j * n[0];
      lumen[(i - window.i0) + (j - window.j0) * width] = body[v] && !ct.padding[v] && ct.hu[v] < max_hu;
    }
  const Components components = label_components(lumen, slice_geometry, Connectivity::full);

  std::vector<LumenRegion> regions(components.count());
  std::vector<std::array<std::int64_t, 4>> boxes(components.count(), {n[0], n[1], -1, -1});
  for (std::int64_t w = 0; w < slice_geometry.voxel_count(); ++w) {
    const std::int32_t label = components.labels[w];
    if (!label) continue;
    const std::int64_t p = (window.i0 + w % width) + (window.j0 + w / width) * n[0];
    LumenRegion& region = regions[label - 1];
    region.pixels.push_back(p);
    region.centre_i += static_cast<double>(p % n[0]);
    auto& box = boxes[label - 1];
    box = {std::min(box[0], p % n[0]), std::min(box[1], p / n[0]), std::max(box[2], p % n[0]),
           std::max(box[3], p / n[0])};
  }
  const double pixel_mm2 = ct.geometry.spacing_mm[0] * ct.geometry.spacing_mm[1];
  for (std::size_t r = 0; r < regions.size(); ++r) {
    LumenRegion& region = regions[r];
    const double count = static_cast<double>(region.pixels.size());
    region.area_mm2 = count * pixel_mm2;
    region.centre_i /= count;
    region.fill = count / static_cast<double>((boxes[r][2] - boxes[r][0] + 1) * (boxes[r][3] - boxes[r][1] + 1));
  }
  return regions;
}

// Returns the mean i of the body in slice k, or -1 when the slice has no body.
double body_midline_i(const Mask& body, const Geometry& geometry, std::int64_t k) {
  const std::int64_t slice_size = geometry.size[0] * geometry.size[1];
  double sum = 0.0;
  std::int64_t count = 0;
  for (std::int64_t p = 0; p < slice_size; ++p)
    if (body[k * slice_size + p]) {
      sum += static_cast<double>(p % geometry.size[0]);
      ++count;
    }
  return count ? sum / static_cast<double>(count) : -1.0;
}

struct Track {
  std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> slices;  // (k, pixels).
  std::int64_t carina_slice = -1;
};

Track track_down(const CanonicalCt& ct, const Mask& body, std::int64_t seed_slice, const LumenRegion& seed,
                 const SegmentOptions& options) {
  const auto& n = ct.geometry.size;
  const double dz = ct.geometry.spacing_mm[2];
  Track track;
  track.slices.push_back({seed_slice, seed.pixels});

  // Area of the tracked region each pixel of the previous slice belongs to.
  std::vector<float> parent_area(n[0] * n[1], 0.0f);
  for (const std::int64_t p : seed.pixels) parent_area[p] = static_cast<float>(seed.area_mm2);

  for (std::int64_t k = seed_slice - 1; k >= 0; --k) {
    std::vector<std::int64_t> accepted_pixels;
    std::vector<std::pair<std::int64_t, float>> accepted_areas;
    int branches = 0;
    const Window window = window_around(track.slices.back().second, ct.geometry, kWindowMarginMm);
    for (const LumenRegion& region : lumen_regions(ct, body, k, options.airway_lumen_max_hu, window)) {
      float parent = 0.0f;
      for (const std::int64_t p : region.pixels) parent = std::max(parent, parent_area[p]);
      if (parent == 0.0f) continue;
      if (region.area_mm2 > 2.0 * parent + kLeakGrowthMm2) continue;
      ++branches;
      accepted_pixels.insert(accepted_pixels.end(), region.pixels.begin(), region.pixels.end());
      for (const std::int64_t p : region.pixels) accepted_areas.push_back({p, static_cast<float>(region.area_mm2)});
    }
    if (accepted_pixels.empty()) break;
    if (branches >= 2 && track.carina_slice < 0) track.carina_slice = k;
    if (track.carina_slice >= 0 && double(track.carina_slice - k) * dz > options.bronchus_length_mm) break;

    std::fill(parent_area.begin(), parent_area.end(), 0.0f);
    for (const auto& [p, area] : accepted_areas) parent_area[p] = area;
    track.slices.push_back({k, std::move(accepted_pixels)});
  }
  return track;
}

// Returns the tracked lumen with holes filled and its rim added, on the full grid.
Mask airway_mask(const CanonicalCt& ct, const Track& track, const Mask& air) {
  const auto& n = ct.geometry.size;
  const std::int64_t slice_size = n[0] * n[1];
  Mask lumen(ct.hu.size(), 0);
  for (const auto& [k, pixels] : track.slices)
    for (const std::int64_t p : pixels) lumen[k * slice_size + p] = 1;

  const IndexBox box = expand_box(bounding_box(lumen, ct.geometry), ct.geometry, 2.0 * kRimMm);
  const Geometry box_geometry = crop_geometry(ct.geometry, box);
  Mask part = crop(lumen, ct.geometry, box);
  part = fill_holes(part, box_geometry, FilterScope::per_slice);
  part = dilate(part, box_geometry, Ellipsoid::ball(kRimMm), FilterScope::per_slice);
  const Mask air_part = crop(air, ct.geometry, box);
  map_voxels(part, [](std::uint8_t p, std::uint8_t a) { return p && a; }, part, air_part);

  // Only slices that were tracked: the rim must not spread to the slice above the seed.
  Mask tracked_slice(n[2], 0);
  for (const auto& entry : track.slices) tracked_slice[entry.first] = 1;
  const std::int64_t box_slice = box_geometry.size[0] * box_geometry.size[1];
  for (std::int64_t k = box.begin[2]; k < box.end[2]; ++k)
    if (!tracked_slice[k])
      std::fill(part.begin() + (k - box.begin[2]) * box_slice, part.begin() + (k - box.begin[2] + 1) * box_slice, 0);

  Mask airway(ct.hu.size(), 0);
  paste(part, box, airway, ct.geometry);
  return airway;
}

}  // namespace

AirwayResult find_airway(const CanonicalCt& ct, const Mask& lungs, const Mask& body, const Mask& air,
                         const SegmentOptions& options) {
  AirwayResult result;
  result.airway.assign(ct.hu.size(), 0);
  const IndexBox lung_box = bounding_box(lungs, ct.geometry);
  if (lung_box.empty()) return result;

  const double dx = ct.geometry.spacing_mm[0];
  const double dz = ct.geometry.spacing_mm[2];
  const std::int64_t top = ct.geometry.size[2] - 1;
  const std::int64_t lowest = lung_box.begin[2] + (lung_box.end[2] - lung_box.begin[2]) / 2;
  const double needed_mm = std::min(kMinTrackedMm, double(top - lowest) * dz);

  for (std::int64_t k = top; k >= lowest; --k) {
    const double midline = body_midline_i(body, ct.geometry, k);
    if (midline < 0.0) continue;

    const LumenRegion* seed = nullptr;
    const std::vector<LumenRegion> regions = lumen_regions(ct, body, k, options.airway_lumen_max_hu, whole_slice(ct.geometry));
    for (const LumenRegion& region : regions) {
      if (region.area_mm2 < options.trachea_min_area_mm2 || region.area_mm2 > options.trachea_max_area_mm2) continue;
      if (std::abs(region.centre_i - midline) * dx > options.trachea_max_offset_mm) continue;
      if (region.fill < kMinSeedFill) continue;
      if (!seed || region.area_mm2 > seed->area_mm2) seed = &region;
    }
    if (!seed) continue;

    const Track track = track_down(ct, body, k, *seed, options);
    const double tracked_mm = double(track.slices.size() - 1) * dz;
    if (tracked_mm + 1e-6 < needed_mm) {
      k = track.slices.back().first;  // Resume below this short track.
      continue;
    }
    result.found = true;
    result.top_slice = k;
    result.carina_slice = track.carina_slice;
    result.airway = airway_mask(ct, track, air);
    return result;
  }
  return result;
}

}  // namespace lunglens
