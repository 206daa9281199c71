// Binary masks on a voxel grid: one byte per voxel (0 or 1), laid out like
// HuVolume (i + nx * (j + ny * k)). The filters in core/image read only
// Geometry::size and Geometry::spacing_mm; a gantry-tilt shear in
// Geometry::axes is ignored, so distances assume orthogonal axes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "parallel/parallel_for.h"
#include "volume/geometry.h"

namespace lunglens {

using Mask = std::vector<std::uint8_t>;

// Returns the 8 bytes at `bytes` as one word, for loops that test 8 voxels
// of a mask or label row at a time.
inline std::uint64_t mask_word(const std::uint8_t* bytes) {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

namespace detail {

template <class Op, class... Inputs>
void map_range(std::uint8_t* out, std::int64_t begin, std::int64_t end, Op op, const Inputs*... inputs) {
  for (std::int64_t v = begin; v < end; ++v) out[v] = static_cast<std::uint8_t>(op(inputs[v]...));
}

}  // namespace detail

// Sets out[v] = op(inputs[v]...) for every voxel v in parallel. `out` may
// also be one of the inputs. The loop reads raw pointers from local
// variables, because a byte store may alias any object: a loop that indexes
// vectors or spans reloads their data pointers after every store and is not
// vectorised. `op` should capture nothing, or only by value.
template <class Op, class... Inputs>
void map_voxels(Mask& out, Op op, const Inputs&... inputs) {
  std::uint8_t* const out_data = out.data();
  parallel_for(0, static_cast<std::int64_t>(out.size()), [&](std::int64_t begin, std::int64_t end) {
    detail::map_range(out_data, begin, end, op, inputs.data()...);
  }, std::int64_t{1} << 16);
}

// Calls visit(i) for the voxels i of a row of `count` voxels, skipping blocks
// of 8 where `labels` and `more_labels` (nullptr when absent) are both 0:
// most of a CT volume lies outside the lungs. visit must ignore voxels whose
// labels are all 0, because it is still called for them in the other blocks.
template <class Visit>
void for_each_labelled(const std::uint8_t* labels, const std::uint8_t* more_labels, std::int64_t count,
                       Visit&& visit) {
  std::int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    if (mask_word(labels + i) == 0 && (more_labels == nullptr || mask_word(more_labels + i) == 0)) continue;
    for (std::int64_t b = i; b < i + 8; ++b) visit(b);
  }
  for (; i < count; ++i) visit(i);
}

// Neighbourhood a filter works in: the whole volume, or each slice (fixed k)
// on its own, so that nothing crosses between slices.
enum class FilterScope { volume, per_slice };

// Half-open index box [begin, end) along i, j, k.
struct IndexBox {
  std::array<std::int64_t, 3> begin{0, 0, 0};
  std::array<std::int64_t, 3> end{0, 0, 0};

  bool empty() const { return end[0] <= begin[0] || end[1] <= begin[1] || end[2] <= begin[2]; }
  std::int64_t voxel_count() const {
    return empty() ? 0 : (end[0] - begin[0]) * (end[1] - begin[1]) * (end[2] - begin[2]);
  }
};

// Returns the number of non-zero voxels.
std::int64_t count_nonzero(const Mask& mask);

// Returns the smallest box holding every non-zero voxel, or an empty box when there is none.
IndexBox bounding_box(const Mask& mask, const Geometry& geometry);

// Returns the smallest box holding every voxel equal to `value` (a label), or
// an empty box when there is none.
IndexBox bounding_box_of_value(const std::vector<std::uint8_t>& labels, const Geometry& geometry,
                               std::uint8_t value);

// Returns `box` grown by `margin_mm` on every side and clipped to the grid.
IndexBox expand_box(const IndexBox& box, const Geometry& geometry, double margin_mm);

// Returns the geometry of the sub-grid `box` (origin moved to its first voxel).
Geometry crop_geometry(const Geometry& geometry, const IndexBox& box);

// Returns the voxels of `box` as a contiguous volume. Slices are copied in parallel.
template <class T>
std::vector<T> crop(std::span<const T> voxels, const Geometry& geometry, const IndexBox& box) {
  const std::int64_t row = box.end[0] - box.begin[0];
  const std::int64_t rows = box.end[1] - box.begin[1];
  std::vector<T> out(static_cast<std::size_t>(box.voxel_count()));
  parallel_for(box.begin[2], box.end[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = box.begin[1]; j < box.end[1]; ++j) {
        const auto first = voxels.begin() + geometry.linear_index(box.begin[0], j, k);
        std::copy(first, first + row, out.begin() + ((k - box.begin[2]) * rows + (j - box.begin[1])) * row);
      }
  });
  return out;
}

template <class T>
std::vector<T> crop(const std::vector<T>& voxels, const Geometry& geometry, const IndexBox& box) {
  return crop(std::span<const T>(voxels), geometry, box);
}

// Writes `part` (the voxels of `box`, as crop returns them) back into `voxels`.
template <class T>
void paste(const std::vector<T>& part, const IndexBox& box, std::vector<T>& voxels, const Geometry& geometry) {
  const std::int64_t row = box.end[0] - box.begin[0];
  const std::int64_t rows = box.end[1] - box.begin[1];
  parallel_for(box.begin[2], box.end[2], [&](std::int64_t k_begin, std::int64_t k_end) {
    for (std::int64_t k = k_begin; k < k_end; ++k)
      for (std::int64_t j = box.begin[1]; j < box.end[1]; ++j) {
        const auto source = part.begin() + ((k - box.begin[2]) * rows + (j - box.begin[1])) * row;
        std::copy(source, source + row, voxels.begin() + geometry.linear_index(box.begin[0], j, k));
      }
  });
}

}  // namespace lunglens
