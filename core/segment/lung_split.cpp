#include "segment/lung_split.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "image/connected_components.h"
#include "image/distance_transform.h"
#include "image/resample.h"
#include "parallel/parallel_for.h"
#include "segment/lung_labels.h"

namespace lunglens {
namespace {

// The smaller of two parts must reach this share of the larger to count as a lung.
constexpr double kMinLungRatio = 0.1;

constexpr double kBlockMm = 3.0;
constexpr double kErosionStepMm = 1.5;
constexpr double kMaxErosionMm = 24.0;

constexpr auto kRight = static_cast<std::uint8_t>(LungLabel::right_lung);
constexpr auto kLeft = static_cast<std::uint8_t>(LungLabel::left_lung);

// Returns the mean column index i of the set voxels. The sums are whole
// numbers far below 2^53, so chunks may add them in any order.
double mean_i(const Mask& mask, const Geometry& geometry) {
  const std::int64_t nx = geometry.size[0];
  const auto rows = static_cast<std::int64_t>(mask.size()) / nx;
  std::int64_t sum = 0, count = 0;
  std::mutex merge;
  parallel_for(0, rows, [&](std::int64_t begin, std::int64_t end) {
    const std::uint8_t* const voxels = mask.data();
    const std::int64_t width = nx;
    std::int64_t part_sum = 0, part_count = 0;
    for (std::int64_t row = begin; row < end; ++row)
      for (std::int64_t i = 0; i < width; ++i) {
        const std::int64_t set = voxels[row * width + i] != 0;
        part_sum += set * i;
        part_count += set;
      }
    const std::lock_guard<std::mutex> lock(merge);
    sum += part_sum;
    count += part_count;
  }, 64);
  return count ? static_cast<double>(sum) / static_cast<double>(count) : 0.0;
}

// Returns two cores (masks on the block grid), or empty masks when erosion
// never splits the lungs into two parts of comparable size.
std::pair<Mask, Mask> eroded_cores(const Mask& coarse, const Geometry& coarse_geometry) {
  const std::vector<float> depth = distance_inside_mm(coarse, coarse_geometry);
  for (double radius = kErosionStepMm; radius <= kMaxErosionMm; radius += kErosionStepMm) {
    Mask core(coarse.size());
    for (std::size_t v = 0; v < core.size(); ++v) core[v] = depth[v] > radius;
    const Components components = label_components(core, coarse_geometry, Connectivity::face);
    if (components.count() < 2) {
      if (components.count() == 0) break;
      continue;
    }
    std::vector<std::int32_t> order(components.count());
    for (std::int32_t c = 0; c < components.count(); ++c) order[c] = c + 1;
    std::sort(order.begin(), order.end(),
              [&](std::int32_t a, std::int32_t b) { return components.sizes[a] > components.sizes[b]; });
    if (double(components.sizes[order[1]]) < kMinLungRatio * double(components.sizes[order[0]])) continue;

    Mask first(core.size()), second(core.size());
    for (std::size_t v = 0; v < core.size(); ++v) {
      first[v] = components.labels[v] == order[0];
      second[v] = components.labels[v] == order[1];
    }
    return {std::move(first), std::move(second)};
  }
  return {};
}

}  // namespace

LungSplit split_lungs(const Mask& lungs, const Mask& body, const CanonicalCt& ct) {
  const Geometry& geometry = ct.geometry;
  LungSplit split;
  split.labels.assign(lungs.size(), 0);
  const RunComponents components = label_runs(lungs, geometry, Connectivity::face);
  if (components.count() == 0) return split;

  std::vector<std::int32_t> order(components.count());
  for (std::int32_t c = 0; c < components.count(); ++c) order[c] = c + 1;
  std::sort(order.begin(), order.end(),
            [&](std::int32_t a, std::int32_t b) { return components.sizes[a] > components.sizes[b]; });

  // Per-component mean i, to give small components the side of the nearer lung.
  // The sums are whole numbers far below 2^53, so they are exact in any order.
  std::vector<double> sum_i(components.count() + 1, 0.0);
  for (std::int64_t k = 0; k < geometry.size[2]; ++k)
    for (const Run& run : components.slices[k].runs) {
      const std::int64_t length = run.end - run.begin;
      sum_i[components.id(k, run)] += static_cast<double>((std::int64_t{run.begin} + run.end - 1) * length / 2);
    }
  auto centre_i = [&](std::int32_t c) { return sum_i[c] / static_cast<double>(components.sizes[c]); };

  // 1. Two separate components of comparable size on either side of the
  // body midline. (Two pieces of one lung, left by dense disease, lie on
  // the same side: step 3 labels them.)
  const double body_i = mean_i(body, geometry);
  auto opposite_sides = [&](double a_i, double b_i) { return (a_i - body_i) * (b_i - body_i) < 0.0; };
  if (components.count() >= 2 &&
      double(components.sizes[order[1]]) >= kMinLungRatio * double(components.sizes[order[0]]) &&
      opposite_sides(centre_i(order[0]), centre_i(order[1]))) {
    const double left_i = std::max(centre_i(order[0]), centre_i(order[1]));
    const double right_i = std::min(centre_i(order[0]), centre_i(order[1]));
    const double boundary_i = 0.5 * (left_i + right_i);
    std::vector<std::uint8_t> side(components.count() + 1, 0);
    for (std::int32_t c = 1; c <= components.count(); ++c) side[c] = centre_i(c) > boundary_i ? kLeft : kRight;
    components.write(geometry, split.labels, [&side](std::int32_t id) { return side[id]; });
    split.lung_count = 2;
    return split;
  }

  // 2. One component: erode until it splits, then assign by nearer core.
  BlockFactors factors = block_factors_for(geometry, kBlockMm);
  const Geometry coarse_geometry = block_geometry(geometry, factors);
  const Mask coarse = downsample(lungs, geometry, factors, BlockRule::majority);
  const auto [first, second] = eroded_cores(coarse, coarse_geometry);
  if (!first.empty() && opposite_sides((mean_i(first, coarse_geometry) + 0.5) * double(factors[0]) - 0.5,
                                       (mean_i(second, coarse_geometry) + 0.5) * double(factors[0]) - 0.5)) {
    const std::vector<float> to_first = squared_distance_mm2(first, coarse_geometry);
    const std::vector<float> to_second = squared_distance_mm2(second, coarse_geometry);
    Mask nearer_first(coarse.size());
    for (std::size_t v = 0; v < coarse.size(); ++v) nearer_first[v] = to_first[v] <= to_second[v];
    const Mask fine_first = upsample(nearer_first, geometry, factors);
    const bool first_is_left = mean_i(first, coarse_geometry) > mean_i(second, coarse_geometry);
    map_voxels(split.labels, [first_is_left](std::uint8_t lung, std::uint8_t label, std::uint8_t first) {
      if (!lung) return label;
      return (first != 0) == first_is_left ? kLeft : kRight;
    }, lungs, split.labels, fine_first);
    split.lung_count = 2;
    return split;
  }

  // 3. No two lungs to separate: each component goes to its own side of the
  // body midline (pieces of one lung, or lung bases behind the liver and
  // spleen that are too unequal for step 1).
  std::vector<std::uint8_t> side(components.count() + 1, 0);
  bool right_seen = false, left_seen = false;
  for (std::int32_t c = 1; c <= components.count(); ++c) {
    side[c] = centre_i(c) > body_i ? kLeft : kRight;
    (side[c] == kLeft ? left_seen : right_seen) = true;
  }
  components.write(geometry, split.labels, [&side](std::int32_t id) { return side[id]; });
  split.lung_count = right_seen && left_seen ? 2 : 1;
  if (split.lung_count == 1)
    split.note = std::string("only one lung found (the ") + (left_seen ? "left" : "right") +
                 "); the air region did not separate into two lungs";
  return split;
}

}  // namespace lunglens
